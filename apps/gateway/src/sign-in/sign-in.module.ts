import { Global, Module } from '@nestjs/common';
import { PendingSignInStore } from './pending-sign-in.store';
import { SIGN_IN_METHODS, SignInFlow } from './sign-in-flow';

const SHARED = [SignInFlow, PendingSignInStore, ...Object.values(SIGN_IN_METHODS)];

/** Signing in, for the REST and Keystone edges: the rules, the pending sign-ins, one class per method. */
@Global()
@Module({ providers: SHARED, exports: SHARED })
export class SignInModule {}
