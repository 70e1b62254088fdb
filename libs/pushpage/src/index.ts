/**
 * Pushpage: server-side component trees for NestJS, pushed to every browser tab that
 * shows them, on any number of replicas.
 * @packageDocumentation
 */
export {
  Component,
  ChildrenNotLoadedError,
  DetachedComponentError,
  EVENT_TYPES,
} from './components/component';
export type {
  ComponentData,
  ComponentOptions,
  EventOptions,
  EventType,
} from './components/component';
export {
  A,
  Button,
  Div,
  H1,
  H2,
  H3,
  H4,
  H5,
  H6,
  Icon,
  Img,
  Input,
  Option,
  P,
  Pre,
  Select,
  Span,
  FormControl,
  Textarea,
  ValueComponent,
  DEFAULT_MAX_TEXT_LENGTH,
} from './components/html';
export {
  QBadge,
  QBtn,
  QCard,
  QComponent,
  QEditor,
  QIcon,
  QInput,
  QSelect,
  QSlider,
  QToggle,
  QuasarComponent,
  QuasarPage,
} from './components/quasar';
export type {
  QBadgeOptions,
  QBtnOptions,
  QCardOptions,
  QComponentOptions,
  QEditorOptions,
  QIconOptions,
  QInputOptions,
  QSelectOption,
  QSelectOptions,
  QSliderOptions,
  QToggleOptions,
  QuasarOptions,
} from './components/quasar';
export type {
  AOptions,
  IconOptions,
  ImgOptions,
  InputElementOptions,
  InputOptions,
  OptionOptions,
} from './components/html';
export { Hello } from './components/hello';
export { WebPage } from './components/web-page';
export type { WebPageOptions } from './components/web-page';
export type { JsonValue } from './components/json';
export { handler } from './components/handler-ref';
export type { HandlerFor, HandlerFunction, HandlerRef, MessageFor } from './components/handler-ref';
export { registerComponentType } from './components/registry';
export type {
  Ack,
  BootState,
  ClientConfig,
  ClientNode,
  DocBroadcast,
  DocMessage,
  DocReply,
  EventPayload,
  Failure,
  FormValue,
  MoreReply,
  MoreRequest,
} from './protocol';
export { setClass, setClasses, removeClass } from './components/classes';
export { EventMessage } from './events/event-message';
export { PageRoute } from './pages/page-route.decorator';
export type { PageRenderer, PageRouteOptions } from './pages/page-route.decorator';
export { PageRequest } from './pages/page-request';
export { defineShared } from './runtime/shared';
export type { SharedDefinition } from './runtime/shared';
export type { PageSnapshot, ScopePatch, WireOp } from './runtime/patch';
export { OnStartup } from './tasks/on-startup.decorator';
export type { OnStartupOptions } from './tasks/on-startup.decorator';
export { TaskContext } from './tasks/task-context';
export { Transaction } from './runtime/transaction';
export { PushpageModule } from './pushpage.module';
export { isPlaceholderSecret } from './pages/session';
export { PushpageDocuments } from './collab/documents.service';
export { PushpageSessions } from './pages/pushpage-sessions';
export { PushpageOperationsModule } from './ops/operations.module';
export { PushpageMetrics } from './ops/metrics.service';
export { PushpageReadiness } from './ops/readiness.service';
export type { ReadinessReport } from './ops/readiness.service';
export type { PushpageModuleOptions } from './options';
export { DEFAULT_CONTENT_SECURITY_POLICY } from './options';
export type {
  PushpageAsyncOptions,
  PushpageOptionsFactory,
  PushpageRootOptions,
} from './module-definition';
export type { PushpageRoutes } from './routing';
export { pushpageClusterOptions, pushpageRedisOptions } from './store/redis-options';
export { pushpageAssetFolders } from './assets/asset-paths';
export { PushpageError } from './errors';
export type { PushpageErrorCode } from './errors';
