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
  Res,
  UnauthorizedException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import type { LocalProcessAdapter } from '@vigil/executor-adapters';
import { VIGIL_SETTINGS } from '@vigil/messaging';
import type { ExecutorSettings } from './executor.config';
import { ExecutorService } from './executor.service';
import { bearerTokenOf, BearerTokenVerifier } from '@vigil/access';

const deployment = z.strictObject({ version: z.string().min(1, 'is required') });

const REALM = 'Bearer realm="vigil-executor"';

/**
 * When the executor runs the services itself (local processes), it is also their platform: a
 * delivery pipeline (or the demo's fault injector) deploys a version through it, and can see the
 * instances. Off unless EXECUTOR_ADMIN_TOKEN is set.
 *
 * The token is checked as every bearer token is (`BearerTokenVerifier`, @vigil/access): neither
 * its length nor how much of it matched shows in the time taken.
 */
@Controller('api/v1/local-process')
export class LocalProcessController {
  private readonly verifier?: BearerTokenVerifier;

  constructor(
    @Inject(VIGIL_SETTINGS) settings: ExecutorSettings,
    @Inject(ExecutorService) private readonly executor: ExecutorService,
  ) {
    this.verifier = settings.adminToken
      ? new BearerTokenVerifier([settings.adminToken])
      : undefined;
  }

  @Get(':target/instances')
  instances(
    @Headers('authorization') auth: string | undefined,
    @Param('target') target: string,
    @Res({ passthrough: true }) response: Response,
  ) {
    return { instances: this.local(auth, target, response).instances(target) };
  }

  @Post(':target/deployments')
  @HttpCode(202)
  async deploy(
    @Headers('authorization') auth: string | undefined,
    @Headers('content-type') contentType: string | undefined,
    @Param('target') target: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ) {
    const local = this.local(auth, target, response);
    // Express reads only JSON: any other body would arrive as none, and be called missing
    if (contentType?.split(';')[0]?.trim().toLowerCase() !== 'application/json')
      throw new UnsupportedMediaTypeException(
        'the body must be JSON: send content-type: application/json',
      );
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

  private local(auth: string | undefined, target: string, response: Response): LocalProcessAdapter {
    const local = this.executor.localProcesses;
    if (!this.verifier || !local) throw new NotFoundException('the local-process API is off');
    const token = bearerTokenOf(auth);
    if (token === undefined) {
      response.setHeader('www-authenticate', REALM);
      throw new UnauthorizedException(
        'send Authorization: Bearer <token> (the EXECUTOR_ADMIN_TOKEN)',
      );
    }
    if (!this.verifier.verify(token)) {
      response.setHeader('www-authenticate', `${REALM}, error="invalid_token"`);
      throw new UnauthorizedException('the bearer token is not valid');
    }
    try {
      local.instances(target);
    } catch {
      throw new NotFoundException(`the executor runs no service ${target}`);
    }
    return local;
  }
}
