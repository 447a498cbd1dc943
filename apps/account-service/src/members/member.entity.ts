import { type Role } from '@twofold/contracts';
import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';

@Entity({ name: 'members' })
export class MemberEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @ManyToOne(() => AccountEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account?: AccountEntity;

  /** Unique across the system, case-insensitively (index on lower(login)). */
  @Column({ type: 'text' })
  login!: string;

  @Column({ type: 'text' })
  email!: string;

  /** When the member proved `email` by the link e-mailed to it (null: not yet). */
  @Column({ name: 'email_verified_at', type: 'timestamptz', nullable: true })
  emailVerifiedAt!: Date | null;

  /** A new address the member asked for, waiting for its link to be opened. */
  @Column({ name: 'pending_email', type: 'text', nullable: true })
  pendingEmail!: string | null;

  /** argon2id PHC string; never leaves this service. Null while an invited member has chosen none. */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash!: string | null;

  /** Invited (not ops-only): until then the member may choose its password from its invitation. */
  @Column({ name: 'invited_until', type: 'timestamptz', nullable: true })
  invitedUntil!: Date | null;

  @Column({ type: 'text', array: true })
  roles!: Role[];

  @Column({ name: 'password_changed_at', type: 'timestamptz' })
  passwordChangedAt!: Date;

  /** Set by "this wasn't me": password sign-in is refused until a new password is set. */
  @Column({ name: 'password_sign_in_stopped_at', type: 'timestamptz', nullable: true })
  passwordSignInStoppedAt!: Date | null;

  /** When an admin or the platform last reset the member's 2FA: under the policy, no grace after it. */
  @Column({ name: 'two_factor_reset_at', type: 'timestamptz', nullable: true })
  twoFactorResetAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
