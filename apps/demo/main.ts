// first: tracing, when on, must load before Nest, express and http
import { tracing } from './instrument';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule, demoConfig } from './app.module';
import { ConfigError, loadConfig } from './config';
import { configureApp } from './setup';

async function main(): Promise<void> {
  try {
    loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`configuration error: ${error.message}`);
    process.exit(2);
  }
  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(AppModule.register(), {
      bufferLogs: true,
      abortOnError: false,
    });
  } catch (error) {
    console.error(`start-up failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
  app.useLogger(app.get(Logger));
  if (tracing) {
    app
      .get(Logger)
      .log(`tracing: spans go to ${tracing.endpoint} as ${tracing.serviceName}`, 'Demo');
  }
  const config = demoConfig(app.get(ConfigService));
  configureApp(app);
  await app.listen(config.port, config.host);
  const url = (await app.getUrl()).replace('[::1]', 'localhost');
  app.get(Logger).log(`serving the demo at ${url}/`, 'Demo');
}

void main();
