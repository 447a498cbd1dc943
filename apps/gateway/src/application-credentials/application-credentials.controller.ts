import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import {
  type ApplicationCredential,
  type NewApplicationCredential,
  newApplicationCredentialSchema,
} from '@twofold/contracts';
import { z } from 'zod';
import { Authorize } from '../authorization/authorize.decorator';
import { ZodBody, ZodParam } from '../http/zod-body';
import { type Authenticated, CurrentAuth } from '../sessions/session.guard';
import { ApplicationCredentialsService } from './application-credentials.service';

const uuid = z.uuid('must be an id');

/** The member's own application credentials (Account Settings). */
@Controller('api/v1/me/application-credentials')
export class MyApplicationCredentialsController {
  constructor(private readonly credentials: ApplicationCredentialsService) {}

  @Get()
  @Authorize('self')
  list(@CurrentAuth() auth: Authenticated): Promise<{ credentials: ApplicationCredential[] }> {
    return this.credentials.list(auth.session, auth.meta);
  }

  @Post()
  @Authorize('self')
  create(
    @CurrentAuth() auth: Authenticated,
    @ZodBody(newApplicationCredentialSchema) body: NewApplicationCredential,
  ): Promise<{ credential: ApplicationCredential; secret: string }> {
    return this.credentials.create(auth.session, body, auth.meta);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @Authorize('selfWithSecondFactor')
  confirm(
    @CurrentAuth() auth: Authenticated,
    @ZodParam('id', uuid) id: string,
  ): Promise<{ credential: ApplicationCredential }> {
    return this.credentials.confirm(auth.session, id, auth.meta);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authorize('self')
  delete(@CurrentAuth() auth: Authenticated, @ZodParam('id', uuid) id: string): Promise<void> {
    return this.credentials.delete(auth.session, id, auth.meta);
  }
}

/** An owner or admin looks at, and deletes, another member's credentials. */
@Controller('api/v1/account/members/:id/application-credentials')
export class MemberApplicationCredentialsController {
  constructor(private readonly credentials: ApplicationCredentialsService) {}

  @Get()
  @Authorize('manageMember')
  list(
    @CurrentAuth() auth: Authenticated,
    @ZodParam('id', uuid) memberId: string,
  ): Promise<{ credentials: ApplicationCredential[] }> {
    return this.credentials.listOfMember(auth.session, memberId, auth.meta);
  }

  @Delete(':credentialId')
  @HttpCode(204)
  @Authorize('manageMember')
  delete(
    @CurrentAuth() auth: Authenticated,
    @ZodParam('id', uuid) memberId: string,
    @ZodParam('credentialId', uuid) id: string,
  ): Promise<void> {
    return this.credentials.deleteOfMember(auth.session, memberId, id, auth.meta);
  }
}
