import { z } from 'zod';
import { callerGrantSchema, memberWithAccountSchema, roleSchema, securityStampSchema } from './account';
import { defineRpc } from './rpc';

/** Keystone's way to give automation a token without a code; it signs in with its own roles only. */
export const applicationCredentialSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  roles: z.array(roleSchema),
  expiresAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  /** Made with the password alone, it stops signing in once its member turns 2FA on, until confirmed. */
  secondFactor: z.boolean(),
});
export type ApplicationCredential = z.infer<typeof applicationCredentialSchema>;

/** The secret is shown this once and stored only hashed. */
export const createdApplicationCredentialSchema = z.object({
  credential: applicationCredentialSchema,
  secret: z.string(),
});

/** Wrong secrets never lock a credential, so a chosen one must not be guessable. */
export const applicationCredentialSecretSchema = z
  .string()
  .min(16, 'must be at least 16 characters')
  .max(256)
  .refine((secret) => new Set(secret).size >= 8, 'must use at least 8 different characters');

export const newApplicationCredentialSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(255),
    description: z.string().max(1000).optional(),
    secret: applicationCredentialSecretSchema.optional(),
    /** Default: all of the member's roles. */
    roles: z
      .array(z.enum(['owner', 'admin', 'billing', 'ops']))
      .min(1)
      .refine((roles) => new Set(roles).size === roles.length, 'must not repeat a role')
      .optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type NewApplicationCredential = z.infer<typeof newApplicationCredentialSchema>;

const ownerRefSchema = z.object({ memberId: z.uuid() }).strict();
const actorSchema = z.object({ memberId: z.uuid(), accountId: z.uuid() }).strict();

export const ApplicationCredentialRpc = {
  create: defineRpc(
    'account.v1.application-credentials.create',
    ownerRefSchema.extend({
      credential: newApplicationCredentialSchema,
      /** Made only while that session holds, never past a change that ends credentials. */
      grant: callerGrantSchema.optional(),
      secondFactor: z.boolean().default(false),
    }),
    createdApplicationCredentialSchema,
  ),
  confirm: defineRpc(
    'account.v1.application-credentials.confirm',
    ownerRefSchema.extend({ id: z.uuid(), grant: callerGrantSchema }),
    z.object({ credential: applicationCredentialSchema }),
  ),
  list: defineRpc(
    'account.v1.application-credentials.list',
    ownerRefSchema,
    z.object({ credentials: z.array(applicationCredentialSchema) }),
  ),
  delete: defineRpc(
    'account.v1.application-credentials.delete',
    ownerRefSchema.extend({ id: z.uuid() }),
    z.object({ deleted: z.literal(true) }),
  ),
  listOfMember: defineRpc(
    'account.v1.application-credentials.list-of-member',
    z.object({ actor: actorSchema, memberId: z.uuid() }).strict(),
    z.object({ credentials: z.array(applicationCredentialSchema) }),
  ),
  deleteOfMember: defineRpc(
    'account.v1.application-credentials.delete-of-member',
    z.object({ actor: actorSchema, memberId: z.uuid(), id: z.uuid() }).strict(),
    z.object({ deleted: z.literal(true) }),
  ),
  /** Counted like a password; an unknown id answers not_found, as Keystone does. */
  authenticate: defineRpc(
    'account.v1.application-credentials.authenticate',
    z
      .object({
        id: z.uuid().optional(),
        name: z.string().min(1).max(255).optional(),
        member: z
          .union([z.object({ memberId: z.uuid() }), z.object({ login: z.string().min(1).max(256) })])
          .optional(),
        secret: z.string().min(1).max(1024),
      })
      .strict(),
    memberWithAccountSchema.extend({
      securityStamp: securityStampSchema,
      credential: z.object({
        id: z.uuid(),
        name: z.string(),
        roles: z.array(roleSchema),
        secondFactor: z.boolean(),
      }),
    }),
  ),
} as const;
