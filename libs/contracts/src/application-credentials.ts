import { z } from 'zod';
import { callerGrantSchema, memberWithAccountSchema, roleSchema, securityStampSchema } from './account';
import { defineRpc } from './rpc';

/**
 * Application credentials: Keystone's way to give automation a token without a code. A member
 * makes one for itself (from a session completed with the second factor when it has 2FA); it
 * signs in alone (`methods: ["application_credential"]`) with the credential's roles only.
 */
export const applicationCredentialSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  /** The roles its tokens carry: some or all of the member's. */
  roles: z.array(roleSchema),
  expiresAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  /**
   * Made (or confirmed) from a session that proved the second factor. One made with the password
   * alone stops signing in when its member turns 2FA on, until confirmed with the second factor.
   */
  secondFactor: z.boolean(),
});
export type ApplicationCredential = z.infer<typeof applicationCredentialSchema>;

/** What creating one answers: the credential, and its secret — shown this once, stored only hashed. */
export const createdApplicationCredentialSchema = z.object({
  credential: applicationCredentialSchema,
  secret: z.string(),
});

/**
 * A secret the member chooses, or none (one is generated: 64 random bytes). Wrong secrets never
 * lock a credential (only the guessing address is held back), so a chosen one must not be
 * guessable: at least 16 characters, of which at least 8 different.
 */
export const applicationCredentialSecretSchema = z
  .string()
  .min(16, 'must be at least 16 characters')
  .max(256)
  .refine((secret) => new Set(secret).size >= 8, 'must use at least 8 different characters');

/** The body of `POST /api/v1/me/application-credentials`. */
export const newApplicationCredentialSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(255),
    description: z.string().max(1000).optional(),
    secret: applicationCredentialSecretSchema.optional(),
    /** Some of the member's roles (default: all of them). */
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
  /**
   * Errors: validation_failed (a role the member does not hold, an expiry in the past),
   * application_credential_name_taken.
   */
  create: defineRpc(
    'account.v1.application-credentials.create',
    ownerRefSchema.extend({
      credential: newApplicationCredentialSchema,
      /** The session it is made from: made only while that holds, and never past a change that ends credentials. */
      grant: callerGrantSchema.optional(),
      /** That session proved the second factor lately. */
      secondFactor: z.boolean().default(false),
    }),
    createdApplicationCredentialSchema,
  ),
  /**
   * The member vouches with its second factor for a credential made with the password alone
   * (2FA turned on since), which then signs in again. Errors: not_found, unauthenticated.
   */
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
  /** Errors: not_found. */
  delete: defineRpc(
    'account.v1.application-credentials.delete',
    ownerRefSchema.extend({ id: z.uuid() }),
    z.object({ deleted: z.literal(true) }),
  ),
  /** An owner or admin looks at another member's credentials. Errors: forbidden, use_me_route, not_found. */
  listOfMember: defineRpc(
    'account.v1.application-credentials.list-of-member',
    z.object({ actor: actorSchema, memberId: z.uuid() }).strict(),
    z.object({ credentials: z.array(applicationCredentialSchema) }),
  ),
  /** Errors: forbidden, use_me_route, not_found. */
  deleteOfMember: defineRpc(
    'account.v1.application-credentials.delete-of-member',
    z.object({ actor: actorSchema, memberId: z.uuid(), id: z.uuid() }).strict(),
    z.object({ deleted: z.literal(true) }),
  ),
  /**
   * A sign-in with a credential: by id, or by name and its member (by id or login), and the
   * secret; counted like a password. Errors: not_found (no credential with this id, as Keystone
   * says), invalid_credentials (a wrong secret, an unknown name, an expired credential, or no
   * role left), too_many_attempts, sign_in_locked.
   */
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
