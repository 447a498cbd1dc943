import { type Language, type Role } from '@twofold/contracts';
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

  @Column({ name: 'email_verified_at', type: 'timestamptz', nullable: true })
  emailVerifiedAt!: Date | null;

  @Column({ name: 'pending_email', type: 'text', nullable: true })
  pendingEmail!: string | null;

  /** argon2id PHC string; never leaves this service. */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash!: string | null;

  @Column({ name: 'invited_until', type: 'timestamptz', nullable: true })
  invitedUntil!: Date | null;

  @Column({ type: 'text', array: true })
  roles!: Role[];

  @Column({ name: 'password_changed_at', type: 'timestamptz' })
  passwordChangedAt!: Date;

  @Column({ name: 'password_sign_in_stopped_at', type: 'timestamptz', nullable: true })
  passwordSignInStoppedAt!: Date | null;

  @Column({ name: 'two_factor_reset_at', type: 'timestamptz', nullable: true })
  twoFactorResetAt!: Date | null;

  /** Of its security e-mails. */
  @Column({ type: 'text', default: 'en' })
  language!: Language;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
