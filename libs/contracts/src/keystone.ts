import { z } from 'zod';

/** A subset of Keystone's; unknown fields are ignored, as Keystone does, so clients that send more still work. */
const domainRefSchema = z.object({ id: z.string().optional(), name: z.string().optional() });

const userRefSchema = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  domain: domainRefSchema.optional(),
});
export type KeystoneUserRef = z.infer<typeof userRefSchema>;

export const v3AuthRequestSchema = z.object({
  auth: z.object({
    identity: z.object({
      methods: z.array(z.string()),
      password: z.object({ user: userRefSchema.extend({ password: z.string() }) }).optional(),
      totp: z
        .object({ user: userRefSchema.extend({ passcode: z.union([z.string(), z.number()]) }) })
        .optional(),
      application_credential: z
        .object({
          id: z.string().optional(),
          name: z.string().optional(),
          user: userRefSchema.optional(),
          secret: z.string().optional(),
        })
        .optional(),
    }),
    scope: z
      .union([
        z.literal('unscoped'),
        z.object({
          project: z
            .object({
              id: z.string().optional(),
              name: z.string().optional(),
              domain: domainRefSchema.optional(),
            })
            .optional(),
          domain: domainRefSchema.optional(),
          system: z.unknown().optional(),
        }),
      ])
      .optional(),
  }),
});
export type V3AuthRequest = z.infer<typeof v3AuthRequestSchema>;

export const v2AuthRequestSchema = z.object({
  auth: z.object({
    passwordCredentials: z.object({ username: z.string(), password: z.string() }),
    tenantName: z.string().optional(),
    tenantId: z.string().optional(),
  }),
});
export type V2AuthRequest = z.infer<typeof v2AuthRequestSchema>;

export const v3PasswordChangeSchema = z.object({
  user: z.object({ original_password: z.string().min(1).max(1024), password: z.string() }),
});
export type V3PasswordChange = z.infer<typeof v3PasswordChangeSchema>;

export const v3NewApplicationCredentialSchema = z.object({
  application_credential: z.object({
    name: z.string(),
    description: z.string().nullable().optional(),
    secret: z.string().nullable().optional(),
    expires_at: z.string().nullable().optional(),
    roles: z.array(z.object({ id: z.string().optional(), name: z.string().optional() })).optional(),
    unrestricted: z.boolean().nullable().optional(),
  }),
});
export type V3NewApplicationCredential = z.infer<typeof v3NewApplicationCredentialSchema>;
