import { Controller } from '@nestjs/common';
import { ROUTES } from '@twofold/contracts';
import { Route, type RouteHandlers, type RouteInput } from '../http/route';
import { SessionStore } from '../sessions/session.store';
import { MembersService } from './members.service';

const R = ROUTES.members;

@Controller()
export class MembersController implements RouteHandlers<typeof R> {
  constructor(
    private readonly members: MembersService,
    private readonly sessions: SessionStore,
  ) {}

  @Route(R.list)
  list({ auth }: RouteInput<typeof R.list>) {
    return this.members.list(auth.session, auth.meta);
  }

  @Route(R.add)
  add({ auth, body }: RouteInput<typeof R.add>) {
    return this.members.add(auth.session, body, auth.meta);
  }

  @Route(R.resendInvitation)
  resendInvitation({ auth, params }: RouteInput<typeof R.resendInvitation>) {
    return this.members.resendInvitation(auth.session, params.id, auth.meta);
  }

  @Route(R.withdrawInvitation)
  withdrawInvitation({ auth, params }: RouteInput<typeof R.withdrawInvitation>) {
    return this.members.withdrawInvitation(auth.session, params.id, auth.meta);
  }

  @Route(R.sendPasswordResetLink)
  sendPasswordResetLink({ auth, params }: RouteInput<typeof R.sendPasswordResetLink>) {
    return this.members.sendPasswordResetLink(auth.session, params.id, auth.meta);
  }

  @Route(R.updateRoles)
  updateRoles({ auth, params, body }: RouteInput<typeof R.updateRoles>) {
    return this.members.updateRoles(auth.session, params.id, body.roles, auth.meta);
  }

  @Route(R.remove)
  remove({ auth, params }: RouteInput<typeof R.remove>) {
    return this.members.remove(auth.session, params.id, auth.meta);
  }

  @Route(R.setPassword)
  setPassword({ auth, params, body }: RouteInput<typeof R.setPassword>) {
    return this.members.setPassword(auth.session, params.id, body.password, auth.meta);
  }

  @Route(R.resetTwoFactor)
  resetTwoFactor({ auth, params }: RouteInput<typeof R.resetTwoFactor>) {
    return this.members.resetTwoFactor(auth.session, params.id, auth.meta);
  }

  @Route(R.sendResyncLink)
  sendResyncLink({ auth, params }: RouteInput<typeof R.sendResyncLink>) {
    return this.members.sendResyncLink(auth.session, params.id, auth.meta);
  }

  /** The guard has checked that the caller manages this member. */
  @Route(R.listSessions)
  async listSessions({ params }: RouteInput<typeof R.listSessions>) {
    return { sessions: await this.sessions.list(params.id) };
  }

  @Route(R.endSessions)
  async endSessions({ auth, params }: RouteInput<typeof R.endSessions>) {
    await this.members.endSessions(auth.session, params.id, auth.meta);
    await this.sessions.revokeAllExcept(params.id);
  }
}
