import { Injectable, Module } from '@nestjs/common';
import { PushpageModule } from 'pushpage';
import { GreetingPage } from './greeting.page';
import { GreetingService } from './greeting.service';

/** The app's settings, as its own configuration service would provide them. */
@Injectable()
export class Settings {
  readonly sessionSecret = process.env.SESSION_SECRET ?? '';
  readonly redisUrl = process.env.REDIS_URL;
}

@Module({ providers: [Settings], exports: [Settings] })
export class SettingsModule {}

@Module({
  imports: [
    PushpageModule.forRootAsync({
      imports: [SettingsModule],
      inject: [Settings],
      useFactory: (settings: Settings) => ({
        sessionSecret: settings.sessionSecret,
        redisUrl: settings.redisUrl,
      }),
      apiPrefix: 'v1/pages',
    }),
  ],
  providers: [GreetingService, GreetingPage],
})
export class AppModule {}
