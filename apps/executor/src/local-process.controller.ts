import { timingSafeEqual } from 'node:crypto';
import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  UnauthorizedException,
} from '@nestjs/common';
import { z } from 'zod';
import type { LocalProcessAdapter } from '@vigil/executor-adapters';
import { VIGIL_SETTINGS } from '@vigil/messaging';
import type { ExecutorSettings } from './executor.config';
import { ExecutorService } from './executor.service';

const deployment = z.strictObject({ version: z.string().min(1, 'is required') });

/**
 * When the executor runs the services itself (local processes), it is also their platform: a
 * delivery pipeline (or the demo's fault injector) deploys a version through it, and can see the
 * instances. Off unless EXECUTOR_ADMIN_TOKEN is set.
 */
@Controller('api/v1/local-process')
export class LocalProcessController {
  constructor(
    @Inject(VIGIL_SETTINGS) private readonly settings: ExecutorSettings,
    @Inject(ExecutorService) private readonly executor: ExecutorService,
  ) {}

  @Get(':target/instances')
  instances(@Headers('authorization') auth: string | undefined, @Param('target') target: string) {
    return { instances: this.local(auth, target).instances(target) };
  }

  @Post(':target/deployments')
  @HttpCode(202)
  async deploy(
    @Headers('authorization') auth: string | undefined,
    @Param('target') target: string,
    @Body() body: unknown,
  ) {
    const local = this.local(auth, target);
    const parsed = deployment.safeParse(body ?? {});
    if (!parsed.success)
      throw new BadRequestException(
        `body.version: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      );
    await local.deploy(target, parsed.data.version).catch((error: Error) => {
      throw new BadRequestException(error.message);
    });
    await this.executor.announceRelease(target, 'deploy');
    return { target, version: parsed.data.version, instances: local.instances(target) };
  }

  private local(auth: string | undefined, target: string): LocalProcessAdapter {
    const token = this.settings.adminToken;
    const local = this.executor.localProcesses;
    if (!token || !local) throw new NotFoundException('the local-process API is off');
    const sent = Buffer.from(auth?.replace(/^Bearer /, '') ?? '');
    const expected = Buffer.from(token);
    if (sent.length !== expected.length || !timingSafeEqual(sent, expected))
      throw new UnauthorizedException('a bearer token (EXECUTOR_ADMIN_TOKEN) is required');
    try {
      local.instances(target);
    } catch {
      throw new NotFoundException(`the executor runs no service ${target}`);
    }
    return local;
  }
}
