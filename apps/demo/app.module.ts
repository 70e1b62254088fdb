import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { PushpageModule, PushpageOperationsModule } from 'pushpage';
import { DemoClientScriptController } from './client/actions-client';
import { HelloHandlers } from './components/hello';
import { DemoConfig, loadConfig } from './config';
import { loggingParams } from './logging';
import { TracingShutdown } from './tracing-shutdown';
import { ActionsPage, HttpActionsPage } from './pages/actions.page';
import { BindPage } from './pages/bind.page';
import { ClockPage } from './pages/clock.page';
import { CountdownPage } from './pages/countdown.page';
import { CounterPage } from './pages/counter.page';
import { DashboardPage } from './pages/dashboard.page';
import { EditorPage } from './pages/editor.page';
import { EventsPage } from './pages/events.page';
import { FormPage } from './pages/form.page';
import { GreetPage } from './pages/greet.page';
import { HelloPage } from './pages/hello.page';
import { IndexPage } from './pages/index.page';
import { MessageBoardPage } from './pages/message-board.page';
import { QuasarDemoPage, SharedQuasarDemoPage } from './pages/quasar.page';
import { StoragePage } from './pages/storage.page';
import { LiveDashboardPage } from './pages/dashboard-live.page';
import { UploadPage } from './pages/upload.page';
import { TickerPage } from './pages/ticker.page';
import { ChartPage } from './pages/chart.page';

/** Reads the demo's checked settings from the config module. */
export function demoConfig(config: ConfigService): DemoConfig {
  return config.getOrThrow<DemoConfig>('demo');
}

/** The demo: every seed example as a page, plus health, metrics and structured logs. */
@Module({})
export class AppModule {
  /**
   * @param env - the environment to read (default `process.env`); a bad value makes the
   * module fail to load with an error naming the variable.
   */
  static register(env?: NodeJS.ProcessEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          validate: (raw) => ({ demo: loadConfig(env ?? (raw as NodeJS.ProcessEnv)) }),
        }),
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) => loggingParams(demoConfig(config)),
        }),
        PushpageModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) => demoConfig(config).pushpage,
        }),
        PushpageOperationsModule,
      ],
      providers: [
        HelloHandlers,
        IndexPage,
        ClockPage,
        MessageBoardPage,
        CountdownPage,
        HelloPage,
        CounterPage,
        DashboardPage,
        EditorPage,
        QuasarDemoPage,
        SharedQuasarDemoPage,
        ActionsPage,
        HttpActionsPage,
        EventsPage,
        GreetPage,
        FormPage,
        TickerPage,
        ChartPage,
        BindPage,
        StoragePage,
        LiveDashboardPage,
        UploadPage,
        TracingShutdown,
      ],
      controllers: [DemoClientScriptController],
    };
  }
}
