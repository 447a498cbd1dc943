import { AccountRpc, DomainError, OperatorRpc, OtpRpc } from '@twofold/contracts';
import { type RpcClient } from '@twofold/platform';
import { type Command } from './commands';

export interface Outcome {
  text: string;
  data: unknown;
}

/** A new service user's password comes from `readPassword` (standard input), never from argv. */
export async function runCommand(
  rpc: RpcClient,
  command: Exclude<Command, { name: 'help' }>,
  readPassword: () => Promise<string>,
): Promise<Outcome> {
  switch (command.name) {
    case 'service-user create': {
      const created = await rpc.call(OperatorRpc.createServiceUser, {
        login: command.login,
        password: await readPassword(),
      });
      return {
        text: `Service user ${created.user.login} (${created.user.id}) in project "${created.account.name}" (${created.account.id}), role service.`,
        data: created,
      };
    }
    case 'service-user delete':
      await rpc.call(OperatorRpc.deleteServiceUser, { login: command.login });
      return {
        text: `Service user ${command.login} deleted; its tokens no longer validate.`,
        data: { deleted: true },
      };
    case 'member show': {
      const found = await rpc.call(OperatorRpc.findMember, { login: command.login });
      const twoFactor = await rpc.call(OtpRpc.status, { memberId: found.member.user.id });
      const { user, account } = found.member;
      return {
        text: [
          `${user.login} (${user.id}), ${found.kind === 'service' ? 'service user' : 'member'} of "${account.name}" (${account.id})`,
          `  e-mail ${user.email} · roles ${user.roles.join(', ')}`,
          `  sign-in ${found.signInLocked ? 'LOCKED (wrong passwords)' : 'not locked'}`,
          `  2FA ${twoFactor.enabled ? `on, ${twoFactor.recoveryCodesRemaining} recovery code(s) left${twoFactor.locked ? ', second factor LOCKED' : ''}` : 'off'}`,
        ].join('\n'),
        data: { ...found, twoFactor },
      };
    }
    case 'member reset-two-factor': {
      const { member } = await rpc.call(OperatorRpc.findMember, { login: command.login });
      try {
        await rpc.call(OtpRpc.disable, {
          memberId: member.user.id,
          accountId: member.account.id,
          actorId: null,
          reason: 'operator_reset',
        });
        // Under the account's policy the member is back on enrolment at once.
        await rpc.call(AccountRpc.noteTwoFactorReset, { memberId: member.user.id });
      } catch (error) {
        if (error instanceof DomainError && error.code === 'two_factor_not_enabled') {
          return { text: `${member.user.login} has no 2FA: nothing to reset.`, data: { reset: false } };
        }
        throw error;
      }
      return {
        text: `2FA of ${member.user.login} is off; its sessions ended. The member and the account's owner are told by e-mail; the member can enrol again.`,
        data: { reset: true },
      };
    }
    case 'member unlock': {
      const { member } = await rpc.call(OperatorRpc.findMember, { login: command.login });
      const signIn = await rpc.call(OperatorRpc.unlockSignIn, { login: command.login });
      const status = await rpc.call(OtpRpc.status, { memberId: member.user.id });
      const secondFactor = status.enabled
        ? await rpc.call(OperatorRpc.unlockSecondFactor, { memberId: member.user.id })
        : { unlocked: false };
      const what = [signIn.unlocked && 'sign-in', secondFactor.unlocked && 'second factor'].filter(Boolean);
      return {
        text:
          what.length > 0
            ? `Unlocked the ${what.join(' and the ')} of ${member.user.login}.`
            : `${member.user.login} was not locked; attempt counters cleared.`,
        data: { signIn: signIn.unlocked, secondFactor: secondFactor.unlocked },
      };
    }
    case 'keys rotate': {
      const rotated = await rpc.call(OperatorRpc.rotateKeys, {});
      return {
        text: `Re-encrypted ${rotated.resealed} OTP secret(s) under key "${rotated.keyId}".`,
        data: rotated,
      };
    }
    case 'jobs failed': {
      if (command.retry) {
        const retried = await rpc.call(
          OperatorRpc.retryFailedJobs,
          command.ids.length > 0 ? { ids: command.ids } : {},
        );
        return { text: `Queued ${retried.retried} failed job(s) to run again.`, data: retried };
      }
      const { jobs } = await rpc.call(OperatorRpc.listFailedJobs, {});
      return {
        text:
          jobs.length === 0
            ? 'No failed notification jobs.'
            : jobs
                .map(
                  (j) =>
                    `${j.id}  ${j.queue}  ${j.type}  ${j.failedAt ?? '?'}  attempts ${j.attempts}  ${j.failedReason}`,
                )
                .join('\n'),
        data: { jobs },
      };
    }
  }
}
