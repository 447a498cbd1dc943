import { z } from 'zod';
import { callerGrantSchema, memberRefSchema, securityStampSchema } from './account';
import { defineRpc } from './rpc';

/** WebAuthn Level 3's JSON (SimpleWebAuthn's `…JSON` types): shape here, content in the ceremony. */
const base64url = z
  .string()
  .max(16_384, 'is too long')
  .regex(/^[A-Za-z0-9_-]*$/, 'must be base64url');

const transportSchema = z.enum(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);
const attachmentSchema = z.enum(['platform', 'cross-platform']);

export const registrationResponseSchema = z.object({
  id: base64url,
  rawId: base64url,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: base64url,
    attestationObject: base64url,
    authenticatorData: base64url.optional(),
    transports: z.array(z.string().max(32)).max(16).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url.optional(),
  }),
  authenticatorAttachment: attachmentSchema.optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()),
});
export type RegistrationResponse = z.infer<typeof registrationResponseSchema>;

export const authenticationResponseSchema = z.object({
  id: base64url,
  rawId: base64url,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: base64url,
    authenticatorData: base64url,
    signature: base64url,
    userHandle: base64url.optional(),
  }),
  authenticatorAttachment: attachmentSchema.optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()),
});
export type AuthenticationResponse = z.infer<typeof authenticationResponseSchema>;

const credentialDescriptorSchema = z.object({
  id: base64url,
  type: z.literal('public-key'),
  transports: z.array(transportSchema).optional(),
});

export const creationOptionsSchema = z.object({
  rp: z.object({ name: z.string(), id: z.string().optional() }),
  user: z.object({ id: base64url, name: z.string(), displayName: z.string() }),
  challenge: base64url,
  pubKeyCredParams: z.array(z.object({ alg: z.number().int(), type: z.literal('public-key') })),
  timeout: z.number().int().optional(),
  excludeCredentials: z.array(credentialDescriptorSchema).optional(),
  authenticatorSelection: z
    .object({
      authenticatorAttachment: attachmentSchema.optional(),
      residentKey: z.enum(['discouraged', 'preferred', 'required']).optional(),
      requireResidentKey: z.boolean().optional(),
      userVerification: z.enum(['discouraged', 'preferred', 'required']).optional(),
    })
    .optional(),
  hints: z.array(z.string()).optional(),
  attestation: z.enum(['none', 'indirect', 'direct', 'enterprise']).optional(),
  extensions: z.record(z.string(), z.unknown()).optional(),
});
export type CreationOptions = z.infer<typeof creationOptionsSchema>;

export const requestOptionsSchema = z.object({
  challenge: base64url,
  timeout: z.number().int().optional(),
  rpId: z.string().optional(),
  allowCredentials: z.array(credentialDescriptorSchema).optional(),
  userVerification: z.enum(['discouraged', 'preferred', 'required']).optional(),
  hints: z.array(z.string()).optional(),
  extensions: z.record(z.string(), z.unknown()).optional(),
});
export type RequestOptions = z.infer<typeof requestOptionsSchema>;

export const passkeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  /** Synced to the member's other devices by its provider (a passkey), or bound to one (a key). */
  backedUp: z.boolean(),
});
export type Passkey = z.infer<typeof passkeySchema>;

export const passkeyNameSchema = z.string().trim().min(1, 'must not be empty').max(64, 'is too long');

const passkeyMemberSchema = z
  .object({ memberId: z.uuid(), accountId: z.uuid(), login: z.string().min(1).max(256) })
  .strict();

export const newPasskeyBodySchema = z
  .object({ name: passkeyNameSchema, response: registrationResponseSchema })
  .strict();

export const passkeyAddedSchema = z.object({
  passkey: passkeySchema,
  recoveryCodes: z.array(z.string()).optional(),
});

/** `challengeId` names the challenge of `options` (the answer must sign that one). */
export const passwordlessOptionsSchema = z.object({ challengeId: z.string(), options: requestOptionsSchema });
export const passwordlessBodySchema = z
  .object({ challengeId: z.string().min(1).max(128), response: authenticationResponseSchema })
  .strict();

/** How a passkey proved its member, as RFC 8176 names it: a key bound to one device, or synced. */
export const passkeyAmrSchema = z.enum(['hwk', 'swk']);

const passkeyFlowSchema = z.enum(['second_factor', 'step_up', 'passwordless']);

export const passkeyProofSchema = z.object({
  memberId: z.uuid(),
  accountId: z.uuid(),
  passkeyId: z.uuid(),
  amr: passkeyAmrSchema,
  userVerified: z.boolean(),
  /** Passwordless: the member's stamp as read before the signature was checked. */
  securityStamp: securityStampSchema.optional(),
});
export type PasskeyProof = z.infer<typeof passkeyProofSchema>;

/** otp-service holds the passkeys and runs the ceremonies; the gateway decides who may ask. */
export const PasskeyRpc = {
  registrationOptions: defineRpc(
    'otp.v1.passkeys.registration-options',
    passkeyMemberSchema,
    z.object({ options: creationOptionsSchema }),
  ),
  /** The member's first second factor turns 2FA on: recovery codes, shown once, and a new stamp. */
  register: defineRpc(
    'otp.v1.passkeys.register',
    passkeyMemberSchema.extend({
      name: passkeyNameSchema,
      response: registrationResponseSchema,
      grant: callerGrantSchema,
    }),
    z.object({
      passkey: passkeySchema,
      recoveryCodes: z.array(z.string()).optional(),
      securityStamp: securityStampSchema.optional(),
    }),
  ),
  list: defineRpc('otp.v1.passkeys.list', memberRefSchema, z.object({ passkeys: z.array(passkeySchema) })),
  rename: defineRpc(
    'otp.v1.passkeys.rename',
    z.object({ memberId: z.uuid(), id: z.uuid(), name: passkeyNameSchema }).strict(),
    z.object({ passkey: passkeySchema }),
  ),
  /** Ends the member's other grants; `keepTwoFactor`: refused if it is the last second factor. */
  remove: defineRpc(
    'otp.v1.passkeys.remove',
    z
      .object({ memberId: z.uuid(), id: z.uuid(), keepTwoFactor: z.boolean(), grant: callerGrantSchema })
      .strict(),
    z.object({ twoFactorOff: z.boolean(), securityStamp: securityStampSchema.optional() }),
  ),
  authenticationOptions: defineRpc(
    'otp.v1.passkeys.authentication-options',
    z.object({ flow: passkeyFlowSchema, memberId: z.uuid().nullable() }).strict(),
    z.object({ options: requestOptionsSchema }),
  ),
  /** Refusals of a member's flow count toward its back-off and lock, like wrong codes. */
  authenticate: defineRpc(
    'otp.v1.passkeys.authenticate',
    z
      .object({
        flow: passkeyFlowSchema,
        memberId: z.uuid().nullable(),
        response: authenticationResponseSchema,
      })
      .strict(),
    passkeyProofSchema,
  ),
} as const;
