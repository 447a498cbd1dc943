import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'accounts' })
export class AccountEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Unique case-insensitively (index on lower(name)); also the Keystone project name. */
  @Column({ type: 'text' })
  name!: string;

  /** Every member who is not ops-only must have 2FA. */
  @Column({ name: 'require_two_factor', type: 'boolean', default: false })
  requireTwoFactor!: boolean;

  /** Days members without 2FA have to enrol once the policy applies to them. */
  @Column({ name: 'grace_period_days', type: 'smallint', default: 0 })
  gracePeriodDays!: number;

  /** When requireTwoFactor was last turned on (null while off): where grace periods start. */
  @Column({ name: 'two_factor_required_since', type: 'timestamptz', nullable: true })
  twoFactorRequiredSince!: Date | null;

  /** E-mail a member who signs in from a device it has not used before. */
  @Column({ name: 'notify_new_device', type: 'boolean', default: true })
  notifyNewDevice!: boolean;

  /** A customer's account, or the one reserved account of the platform's service users. */
  @Column({ type: 'text', default: 'customer' })
  kind!: 'customer' | 'service';

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
