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

  /** A customer's account, or the one reserved account of the platform's service users. */
  @Column({ type: 'text', default: 'customer' })
  kind!: 'customer' | 'service';

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
