import { Module } from '@nestjs/common';
import { LinkTokensRepository } from './link-tokens.repository';
import { LinksHandler } from './links.handler';
import { LinksService } from './links.service';

@Module({ controllers: [LinksHandler], providers: [LinksService, LinkTokensRepository] })
export class LinksModule {}
