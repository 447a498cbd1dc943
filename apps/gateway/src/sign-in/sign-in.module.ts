import { Global, Module } from '@nestjs/common';
import { ApplicationCredentialMethod } from './methods/application-credential.method';
import { PasswordMethod } from './methods/password.method';
import { TotpMethod } from './methods/totp.method';
import { PendingSignInStore } from './pending-sign-in.store';
import { SignInService } from './sign-in.service';

const SHARED = [SignInService, PendingSignInStore, PasswordMethod, TotpMethod, ApplicationCredentialMethod];

/** Signing in, for the REST and Keystone edges: the rules, the pending sign-ins, one class per method. */
@Global()
@Module({ providers: SHARED, exports: SHARED })
export class SignInModule {}
