import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { OTP_CONFIG, type OtpConfig } from '../config/otp-config';
import { CredentialsModule } from '../credentials/credentials.module';
import { VerificationModule } from '../verification/verification.module';
import { PasskeysHandler } from './passkeys.handler';
import { PasskeysService, WEBAUTHN_SETTINGS } from './passkeys.service';
import { WebAuthnChallenges } from './webauthn-challenges';
import { type WebAuthnSettings } from './webauthn-settings';

@Module({
  controllers: [PasskeysHandler],
  imports: [CredentialsModule, VerificationModule],
  providers: [
    WebAuthnChallenges,
    PasskeysService,
    { provide: WEBAUTHN_SETTINGS, useFactory: (config: OtpConfig) => config.webauthn, inject: [OTP_CONFIG] },
  ],
  exports: [PasskeysService],
})
export class PasskeysModule implements OnModuleInit {
  constructor(
    @Inject(WEBAUTHN_SETTINGS) private readonly settings: WebAuthnSettings,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('Passkeys');
  }

  /** Said once, at start-up: a deployment on an IP address runs without passkeys. */
  onModuleInit(): void {
    if (!this.settings.enabled) this.logger.warn(this.settings.reason);
  }
}
