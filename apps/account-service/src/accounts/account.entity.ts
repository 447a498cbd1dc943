import { type CustomerRole, type SecondFactorKind } from '@twofold/contracts';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'accounts' })
export class AccountEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Unique case-insensitively (index on lower(name)); also the Keystone project name. */
  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'require_two_factor', type: 'boolean', default: false })
  requireTwoFactor!: boolean;

  @Column({ name: 'grace_period_days', type: 'smallint', default: 0 })
  gracePeriodDays!: number;

  @Column({ name: 'two_factor_required_since', type: 'timestamptz', nullable: true })
  twoFactorRequiredSince!: Date | null;

  @Column({ name: 'notify_new_device', type: 'boolean', default: true })
  notifyNewDevice!: boolean;

  @Column({ name: 'allowed_second_factors', type: 'text', array: true })
  allowedSecondFactors!: SecondFactorKind[];

  @Column({ name: 'phishing_resistant_for', type: 'text', array: true })
  phishingResistantFor!: CustomerRole[];

  @Column({ name: 'passwordless_sign_in', type: 'boolean', default: true })
  passwordlessSignIn!: boolean;

  /** When phishingResistantFor last changed: its members' grace to add a passkey runs from then. */
  @Column({ name: 'phishing_resistant_since', type: 'timestamptz', nullable: true })
  phishingResistantSince!: Date | null;

  @Column({ type: 'text', default: 'customer' })
  kind!: 'customer' | 'service';

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
