import { Module } from '@nestjs/common';
import { KeystoneController } from './keystone.controller';
import { KeystoneService } from './keystone.service';

@Module({ controllers: [KeystoneController], providers: [KeystoneService] })
export class KeystoneModule {}
