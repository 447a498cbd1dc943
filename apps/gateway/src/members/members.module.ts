import { Module } from '@nestjs/common';
import { OwnershipController } from '../ownership/ownership.controller';
import { MembersController } from './members.controller';
import { MembersService } from './members.service';

@Module({ controllers: [MembersController, OwnershipController], providers: [MembersService] })
export class MembersModule {}
