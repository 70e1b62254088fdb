import { DynamicModule, Module } from '@nestjs/common';
import { PushpageModule, PushpageOperationsModule } from 'pushpage';
import { OpsConfig } from './config';
import { OpsDashboardPage } from './dashboard.page';
import { FleetService } from './fleet.service';
import { IncidentService } from './incident.service';

/**
 * The ops dashboard: Pushpage on Redis or a Redis Cluster (in memory without `REDIS_URL` or
 * `REDIS_CLUSTER_NODES`), `/healthz`, `/readyz` and `/metrics`, the app's own services, and
 * the page that injects them.
 */
@Module({})
export class AppModule {
  static register(config: OpsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PushpageModule.forRoot({
          redisUrl: config.redisUrl,
          redisClusterNodes: config.redisClusterNodes,
          sessionSecret: config.sessionSecret,
          publicOrigins: config.publicOrigins,
          metricsToken: config.metricsToken,
          publicMetrics: config.publicMetrics,
          settingNames: {
            sessionSecret: 'PUSHPAGE_SESSION_SECRET',
            redisUrl: 'REDIS_URL',
            redisClusterNodes: 'REDIS_CLUSTER_NODES',
            publicOrigins: 'PUSHPAGE_PUBLIC_ORIGINS',
            metricsToken: 'PUSHPAGE_METRICS_TOKEN',
            publicMetrics: 'PUSHPAGE_METRICS_PUBLIC',
          },
        }),
        PushpageOperationsModule,
      ],
      providers: [
        { provide: OpsConfig, useValue: config },
        FleetService,
        IncidentService,
        OpsDashboardPage,
      ],
    };
  }
}
