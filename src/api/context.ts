// What every resolver receives: the Prisma client for entity reads, a pg pool for SQL aggregates,
// and this request's DataLoaders (created per request so nothing is cached across requests).
import type { PrismaClient } from '@prisma/client';
import type pg from 'pg';
import { createLoaders, type Loaders } from './loaders.ts';

export interface ApiContext {
  prisma: PrismaClient;
  sql: pg.Pool;
  loaders: Loaders;
}

export interface ApiResources {
  prisma: PrismaClient;
  sql: pg.Pool;
}

export function createContext(res: ApiResources): ApiContext {
  return { prisma: res.prisma, sql: res.sql, loaders: createLoaders(res.prisma, res.sql) };
}
