import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { loadConfig } from './config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error(`configuration error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
  const app = await NestFactory.create(AppModule.register(config), {
    logger: ['log', 'warn', 'error'],
  });
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  const url = await app.getUrl();
  new Logger('Demo').log(`serving the demo at ${url.replace('[::1]', 'localhost')}/`);
}

void main();
