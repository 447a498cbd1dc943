import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type CredentialStatus = 'pending' | 'active';

/** A member's TOTP credential. The secret is stored only encrypted (AES-256-GCM under `keyId`). */
@Entity({ name: 'credentials' })
export class OtpCredentialEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'member_id', type: 'uuid' })
  memberId!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Column({ type: 'text' })
  status!: CredentialStatus;

  @Column({ name: 'secret_ciphertext', type: 'bytea' })
  secretCiphertext!: Buffer;

  @Column({ name: 'key_id', type: 'text' })
  keyId!: string;

  @Column({ type: 'text' })
  algorithm!: string;

  @Column({ type: 'smallint' })
  digits!: number;

  @Column({ type: 'smallint' })
  period!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** When a pending enrolment lapses; null once active. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'enabled_at', type: 'timestamptz', nullable: true })
  enabledAt!: Date | null;

  /** The steps a resync moved the credential's window by (its phone's clock is that far off). */
  @Column({ name: 'drift_base', type: 'smallint', default: 0 })
  driftBase!: number;

  /** Set when consecutive failures reach the hard-lock threshold; cleared by a recovery code. */
  @Column({ name: 'locked_at', type: 'timestamptz', nullable: true })
  lockedAt!: Date | null;
}
