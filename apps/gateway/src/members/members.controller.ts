import { Controller, Delete, Get, HttpCode, Patch, Post, Put } from '@nestjs/common';
import {
  type MemberView,
  type NewMember,
  newMemberSchema,
  setPasswordBodySchema,
  updateRolesBodySchema,
  type AssignableRole,
  type SessionList,
  type TeamMember,
} from '@twofold/contracts';
import { z } from 'zod';
import { Authorize } from '../authorization/authorize.decorator';
import { ZodBody, ZodParam } from '../http/zod-body';
import { type Authenticated, CurrentAuth } from '../sessions/session.guard';
import { SessionStore } from '../sessions/session.store';
import { MembersService } from './members.service';

const memberId = z.uuid('must be a member id');

@Controller('api/v1/account/members')
export class MembersController {
  constructor(
    private readonly members: MembersService,
    private readonly sessions: SessionStore,
  ) {}

  @Get()
  @Authorize('manageMembers')
  list(@CurrentAuth() auth: Authenticated): Promise<{ members: TeamMember[] }> {
    return this.members.list(auth.session, auth.meta);
  }

  @Post()
  @Authorize('manageMembers')
  add(@CurrentAuth() auth: Authenticated, @ZodBody(newMemberSchema) body: NewMember): Promise<TeamMember> {
    return this.members.add(auth.session, body, auth.meta);
  }

  @Post(':id/invitation')
  @HttpCode(200)
  @Authorize('changeMember')
  resendInvitation(
    @CurrentAuth() auth: Authenticated,
    @ZodParam('id', memberId) id: string,
  ): Promise<TeamMember> {
    return this.members.resendInvitation(auth.session, id, auth.meta);
  }

  @Delete(':id/invitation')
  @HttpCode(204)
  @Authorize('changeMember')
  withdrawInvitation(
    @CurrentAuth() auth: Authenticated,
    @ZodParam('id', memberId) id: string,
  ): Promise<void> {
    return this.members.withdrawInvitation(auth.session, id, auth.meta);
  }

  @Post(':id/password-reset-link')
  @HttpCode(202)
  @Authorize('changeMember')
  sendPasswordResetLink(
    @CurrentAuth() auth: Authenticated,
    @ZodParam('id', memberId) id: string,
  ): Promise<void> {
    return this.members.sendPasswordResetLink(auth.session, id, auth.meta);
  }

  @Patch(':id')
  @Authorize('changeMember')
  updateRoles(
    @CurrentAuth() auth: Authenticated,
    @ZodParam('id', memberId) id: string,
    @ZodBody(updateRolesBodySchema) body: { roles: AssignableRole[] },
  ): Promise<MemberView> {
    return this.members.updateRoles(auth.session, id, body.roles, auth.meta);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authorize('changeMember')
  remove(@CurrentAuth() auth: Authenticated, @ZodParam('id', memberId) id: string): Promise<void> {
    return this.members.remove(auth.session, id, auth.meta);
  }

  @Put(':id/password')
  @HttpCode(204)
  @Authorize('changeMember')
  setPassword(
    @CurrentAuth() auth: Authenticated,
    @ZodParam('id', memberId) id: string,
    @ZodBody(setPasswordBodySchema) body: { password: string },
  ): Promise<void> {
    return this.members.setPassword(auth.session, id, body.password, auth.meta);
  }

  @Delete(':id/two-factor')
  @HttpCode(204)
  @Authorize('changeMember')
  resetTwoFactor(@CurrentAuth() auth: Authenticated, @ZodParam('id', memberId) id: string): Promise<void> {
    return this.members.resetTwoFactor(auth.session, id, auth.meta);
  }

  @Post(':id/two-factor/resync-link')
  @HttpCode(202)
  @Authorize('changeMember')
  sendResyncLink(
    @CurrentAuth() auth: Authenticated,
    @ZodParam('id', memberId) id: string,
  ): Promise<{ sent: true }> {
    return this.members.sendResyncLink(auth.session, id, auth.meta);
  }

  /** The guard has checked that the caller manages this member. */
  @Get(':id/sessions')
  @Authorize('manageMember')
  async listSessions(@ZodParam('id', memberId) id: string): Promise<SessionList> {
    return { sessions: await this.sessions.list(id) };
  }

  @Delete(':id/sessions')
  @HttpCode(204)
  @Authorize('changeMember')
  async endSessions(@CurrentAuth() auth: Authenticated, @ZodParam('id', memberId) id: string): Promise<void> {
    await this.members.endSessions(auth.session, id, auth.meta);
    await this.sessions.revokeAllExcept(id);
  }
}
