import { Injectable } from '@nestjs/common';
import { AccountRpc, type PasswordLoginRequest } from '@twofold/contracts';
import { RpcClient } from '@twofold/platform';
import { SessionStore } from '../sessions/session.store';

export interface LoginResult {
  status: 'authenticated';
  token: string;
  expiresAt: string;
  aal: 1 | 2;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly sessions: SessionStore,
  ) {}

  async login(request: PasswordLoginRequest): Promise<LoginResult> {
    const { user, account } = await this.rpc.call(AccountRpc.authenticatePassword, request);
    const { token, session } = await this.sessions.issue({
      memberId: user.id,
      accountId: account.id,
      aal: 1,
    });
    return { status: 'authenticated', token, expiresAt: session.expiresAt, aal: session.aal };
  }

  logout(token: string, memberId: string): Promise<void> {
    return this.sessions.revoke(token, memberId);
  }
}
