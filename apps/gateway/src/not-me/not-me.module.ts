import { Module } from '@nestjs/common';
import { NotMeController } from './not-me.controller';

@Module({ controllers: [NotMeController] })
export class NotMeModule {}
