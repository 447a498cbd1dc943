import { Controller, HttpCode, Post } from '@nestjs/common';
import { transferOwnershipBodySchema } from '@twofold/contracts';
import { Authorize } from '../authorization/authorize.decorator';
import { ZodBody } from '../http/zod-body';
import { MembersService } from '../members/members.service';
import { type Authenticated, CurrentAuth } from '../sessions/session.guard';

@Controller('api/v1/account/ownership')
export class OwnershipController {
  constructor(private readonly members: MembersService) {}

  /** The owner hands ownership on and becomes an admin; both members sign in again. */
  @Post()
  @HttpCode(204)
  @Authorize('transferOwnership')
  transfer(
    @CurrentAuth() auth: Authenticated,
    @ZodBody(transferOwnershipBodySchema) body: { memberId: string },
  ): Promise<void> {
    return this.members.transferOwnership(auth.session, body.memberId, auth.meta);
  }
}
