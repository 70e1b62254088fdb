import { DynamicModule, Module } from '@nestjs/common';
import { PushpageModule } from '../../libs/pushpage/src';
import { DemoConfig } from './config';
import { ClockPage } from './pages/clock.page';
import { CountdownPage } from './pages/countdown.page';
import { DashboardPage } from './pages/dashboard.page';
import { EditorPage } from './pages/editor.page';
import { HelloPage } from './pages/hello.page';
import { IndexPage } from './pages/index.page';
import { MessageBoardPage } from './pages/message-board.page';
import { QuasarDemoPage } from './pages/quasar.page';

/** The demo: every seed example as a page. */
@Module({})
export class AppModule {
  static register(config: DemoConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PushpageModule.forRoot(config.pushpage)],
      providers: [
        IndexPage,
        ClockPage,
        MessageBoardPage,
        CountdownPage,
        HelloPage,
        DashboardPage,
        EditorPage,
        QuasarDemoPage,
      ],
    };
  }
}
