import { Injectable } from '@nestjs/common';
import { DomainError, type Language, type MemberLanguage } from '@twofold/contracts';
import { AccountsRepository } from '../accounts/accounts.repository';

/** A member's own setting, not a security one: no step-up, no event. */
@Injectable()
export class LanguageService {
  constructor(private readonly accounts: AccountsRepository) {}

  async of(memberId: string): Promise<MemberLanguage> {
    const language = await this.accounts.languageOf(memberId);
    if (!language) throw noMember();
    return { language };
  }

  async set(memberId: string, language: Language): Promise<MemberLanguage> {
    if (!(await this.accounts.setLanguage(memberId, language))) throw noMember();
    return { language };
  }
}

const noMember = () => new DomainError('not_found', 'No such member.');
