import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A member's WebAuthn credential: its public key and what the authenticator said of itself. */
@Entity({ name: 'passkeys' })
export class PasskeyEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'member_id', type: 'uuid' })
  memberId!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  /** base64url, as the browser names it. */
  @Column({ name: 'credential_id', type: 'text' })
  credentialId!: string;

  @Column({ name: 'public_key', type: 'bytea' })
  publicKey!: Buffer;

  @Column({ name: 'sign_count', type: 'bigint', transformer: { to: (v: number) => v, from: Number } })
  signCount!: number;

  @Column({ type: 'text', array: true })
  transports!: string[];

  @Column({ type: 'text' })
  aaguid!: string;

  @Column({ name: 'device_type', type: 'text' })
  deviceType!: 'singleDevice' | 'multiDevice';

  @Column({ name: 'backed_up', type: 'boolean' })
  backedUp!: boolean;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;
}
