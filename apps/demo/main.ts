import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { loadConfig } from './config';
import { configureApp } from './setup';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error(`configuration error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), {
    logger: ['log', 'warn', 'error'],
  });
  configureApp(app);
  await app.listen(config.port, config.host);
  const url = await app.getUrl();
  new Logger('Demo').log(`serving the demo at ${url.replace('[::1]', 'localhost')}/`);
}

void main();
