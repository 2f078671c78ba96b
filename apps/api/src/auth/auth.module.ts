import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { TokenVerifier } from './token-verifier';

@Module({ providers: [TokenVerifier, { provide: APP_GUARD, useClass: AuthGuard }], exports: [TokenVerifier] })
export class AuthModule {}
