import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { ConfigError, OpsConfig } from './config';

async function main(): Promise<void> {
  let config: OpsConfig;
  try {
    config = OpsConfig.fromEnv();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`configuration error: ${error.message}`);
    process.exit(2);
  }
  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), {
      abortOnError: false,
    });
  } catch (error) {
    console.error(`start-up failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  const url = (await app.getUrl()).replace('[::1]', 'localhost');
  new Logger('Ops').log(`serving the ops dashboard at ${url}/`);
}

void main();
