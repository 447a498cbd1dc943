import { Controller, Get } from '@nestjs/common';
import { Authorize } from '../authorization/authorize.decorator';
import { type Authenticated, CurrentAuth } from '../sessions/session.guard';
import { MeService, type MeView } from './me.service';

@Controller('api/v1/me')
@Authorize('self')
export class MeController {
  constructor(private readonly me: MeService) {}

  @Get()
  describe(@CurrentAuth() auth: Authenticated): Promise<MeView> {
    return this.me.describe(auth.token, auth.session);
  }
}
