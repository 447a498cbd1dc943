import { Controller } from '@nestjs/common';
import { ROUTES } from '@twofold/contracts';
import { Route, type RouteHandlers, type RouteInput } from '../http/route';
import { ApplicationCredentialsService } from './application-credentials.service';

const MINE = ROUTES.myCredentials;
const OF_MEMBER = ROUTES.memberCredentials;

@Controller()
export class MyApplicationCredentialsController implements RouteHandlers<typeof MINE> {
  constructor(private readonly credentials: ApplicationCredentialsService) {}

  @Route(MINE.list)
  list({ auth }: RouteInput<typeof MINE.list>) {
    return this.credentials.list(auth.session, auth.meta);
  }

  @Route(MINE.create)
  create({ auth, body }: RouteInput<typeof MINE.create>) {
    return this.credentials.create(auth.session, body, auth.meta);
  }

  @Route(MINE.confirm)
  confirm({ auth, params }: RouteInput<typeof MINE.confirm>) {
    return this.credentials.confirm(auth.session, params.id, auth.meta);
  }

  @Route(MINE.delete)
  delete({ auth, params }: RouteInput<typeof MINE.delete>) {
    return this.credentials.delete(auth.session, params.id, auth.meta);
  }
}

/** An owner or admin looks at, and deletes, another member's credentials. */
@Controller()
export class MemberApplicationCredentialsController implements RouteHandlers<typeof OF_MEMBER> {
  constructor(private readonly credentials: ApplicationCredentialsService) {}

  @Route(OF_MEMBER.list)
  list({ auth, params }: RouteInput<typeof OF_MEMBER.list>) {
    return this.credentials.listOfMember(auth.session, params.id, auth.meta);
  }

  @Route(OF_MEMBER.delete)
  delete({ auth, params }: RouteInput<typeof OF_MEMBER.delete>) {
    return this.credentials.deleteOfMember(auth.session, params.id, params.credentialId, auth.meta);
  }
}
