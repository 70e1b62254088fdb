import { Global, Inject, Module, NestModule, OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AssetsService } from './assets/assets.service';
import { ApiSetupService } from './edges/http/api-setup.service';
import { RateLimitGuard } from './edges/http/rate-limit.guard';
import { RateLimits } from './edges/rate-limits';
import { TrustProxySetting } from './edges/http/trust-proxy';
import { OriginGuard } from './edges/http/origin.guard';
import { PushpageDocuments } from './collab/documents.service';
import { TabDocuments } from './collab/tab-documents';
import { TabCatchUp } from './engine/catch-up';
import { BroadcastProbe } from './ops/broadcast-probe.service';
import { PushpageMetrics } from './ops/metrics.service';
import { PUSHPAGE_BROADCAST_LINK, PushpageReadiness } from './ops/readiness.service';
import { EventDispatcher } from './engine/event-dispatcher';
import { PageTimersService } from './engine/page-timers.service';
import { HandlerRegistry } from './engine/handler-registry';
import { SocketAdapterService } from './edges/socket/socket-adapter.service';
import { SocketPublisher } from './edges/socket/socket-publisher';
import { PUSHPAGE_OPTIONS, PushpageConfigurableModule } from './module-definition';
import { PUSHPAGE_CONFIG, PushpageModuleOptions, resolveOptions } from './options';
import { PageLifecycle, PUSHPAGE_PRESENCE } from './engine/page-lifecycle';
import { PagesService } from './edges/http/pages.service';
import { ResponseHeaders } from './edges/http/security-headers';
import { SessionService } from './sessions/session.service';
import { PushpageSessions } from './sessions/pushpage-sessions';
import { SessionRevocations } from './sessions/session-revocations';
import { SessionGuard } from './edges/http/session.guard';
import { RefusalLog } from './ops/refusal-log';
import { PUSHPAGE_DOC_PUBLISHER, PUSHPAGE_PUBLISHER } from './engine/patch';
import { PUSHPAGE_TAB_CHANNEL } from './engine/tab-channel';
import { storeProvider } from './store/store.provider';
import { PUSHPAGE_STORE, PushpageStore } from './store/store';
import { PushpageTasks } from './tasks/pushpage-tasks';
import { TasksService } from './tasks/tasks.service';
import { uploadStorageProvider } from './uploads/upload-storage.provider';
import { PUSHPAGE_UPLOAD_STORAGE } from './uploads/upload-storage';
import { UploadsService } from './uploads/uploads.service';

/**
 * Pushpage for a Nest app: serves every `@PageRoute` provider, runs `@OnStartup` hooks,
 * pushes updates over Socket.IO, keeps pages in the store.
 *
 * ```ts
 * @Module({ imports: [PushpageModule.forRoot({ redisUrl: process.env.REDIS_URL })], providers: [MessageBoardPage] })
 * export class AppModule {}
 * ```
 */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: PUSHPAGE_CONFIG,
      useFactory: (options: PushpageModuleOptions) => resolveOptions(options),
      inject: [PUSHPAGE_OPTIONS],
    },
    storeProvider,
    SocketPublisher,
    SocketAdapterService,
    { provide: PUSHPAGE_BROADCAST_LINK, useExisting: SocketAdapterService },
    { provide: PUSHPAGE_PUBLISHER, useExisting: SocketPublisher },
    { provide: PUSHPAGE_PRESENCE, useExisting: SocketPublisher },
    { provide: PUSHPAGE_DOC_PUBLISHER, useExisting: SocketPublisher },
    { provide: PUSHPAGE_TAB_CHANNEL, useExisting: SocketPublisher },
    SessionService,
    PushpageSessions,
    SessionRevocations,
    SessionGuard,
    PageLifecycle,
    PagesService,
    HandlerRegistry,
    EventDispatcher,
    PageTimersService,
    TasksService,
    PushpageTasks,
    AssetsService,
    ApiSetupService,
    RateLimits,
    RateLimitGuard,
    TrustProxySetting,
    OriginGuard,
    PushpageDocuments,
    TabDocuments,
    TabCatchUp,
    PushpageMetrics,
    PushpageReadiness,
    BroadcastProbe,
    RefusalLog,
    ResponseHeaders,
    uploadStorageProvider,
    UploadsService,
  ],
  // the public services (and the options, for PushpageOperationsModule, and the upload
  // storage, for handlers); the rest stays inside
  exports: [
    PushpageMetrics,
    PushpageReadiness,
    PushpageDocuments,
    PushpageSessions,
    PushpageTasks,
    PUSHPAGE_CONFIG,
    PUSHPAGE_UPLOAD_STORAGE,
  ],
})
export class PushpageModule
  extends PushpageConfigurableModule
  implements NestModule, OnApplicationShutdown
{
  constructor(
    @Inject(PUSHPAGE_STORE) private readonly store: PushpageStore,
    private readonly headers: ResponseHeaders,
    private readonly trustProxy: TrustProxySetting,
  ) {
    super();
  }

  /**
   * Nest calls it before it maps routes: from then on at the latest, every response of the app
   * gets `X-Content-Type-Options: nosniff` and no `X-Powered-By` (with `NestFactory.create`,
   * from the moment the module's providers exist, before the app's own setup).
   */
  configure(): void {
    this.headers.install();
    this.trustProxy.install();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
