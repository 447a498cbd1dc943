import { Module } from '@nestjs/common';
import { LinkTokensRepository } from './link-tokens.repository';
import { ResyncLinksHandler } from './resync-links.handler';
import { ResyncLinksService } from './resync-links.service';

@Module({ controllers: [ResyncLinksHandler], providers: [ResyncLinksService, LinkTokensRepository] })
export class LinksModule {}
