import { Controller } from '@nestjs/common';
import { ROUTES } from '@twofold/contracts';
import { Route, type RouteHandlers, type RouteInput } from '../http/route';
import { MembersService } from '../members/members.service';

const R = ROUTES.ownership;

@Controller()
export class OwnershipController implements RouteHandlers<typeof R> {
  constructor(private readonly members: MembersService) {}

  /** The owner hands ownership on and becomes an admin; both members sign in again. */
  @Route(R.transfer)
  transfer({ auth, body }: RouteInput<typeof R.transfer>) {
    return this.members.transferOwnership(auth.session, body.memberId, auth.meta);
  }
}
