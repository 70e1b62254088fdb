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
} from './model/component';
export type { ComponentData, ComponentOptions, EventOptions, EventType } from './model/component';
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
} from './model/html';
export {
  Article,
  Aside,
  Br,
  Code,
  Em,
  Footer,
  Header,
  Hr,
  Li,
  Main,
  Nav,
  Ol,
  Section,
  Small,
  Strong,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Ul,
} from './model/html-elements';
export {
  CheckableInput,
  Checkbox,
  Fieldset,
  Form,
  formValues,
  Label,
  Legend,
  Radio,
} from './model/forms';
export type { CheckboxOptions, LabelOptions, RadioOptions } from './model/forms';
export type { BindableData, BindableProp, ValueBinding } from './model/binding';
export {
  QBadge,
  QBtn,
  QCard,
  QCheckbox,
  QComponent,
  QEditor,
  QIcon,
  QInput,
  QRadio,
  QSelect,
  QSlider,
  QTable,
  QToggle,
  QuasarComponent,
  QuasarPage,
} from './model/quasar';
export type {
  QBadgeOptions,
  QBtnOptions,
  QCardOptions,
  QCheckboxOptions,
  QCheckValue,
  QComponentOptions,
  QEditorOptions,
  QIconOptions,
  QInputOptions,
  QRadioOptions,
  QRadioValue,
  QSelectOption,
  QSelectOptions,
  QSliderOptions,
  QTableColumn,
  QTableKey,
  QTableKeyField,
  QTableOptions,
  QTablePagination,
  QTableRow,
  QToggleOptions,
  QuasarOptions,
} from './model/quasar';
export type {
  AOptions,
  IconOptions,
  ImgOptions,
  InputElementOptions,
  InputOptions,
  OptionOptions,
} from './model/html';
export { WebPage } from './model/web-page';
export type { WebPageOptions } from './model/web-page';
export type { JsonValue } from './model/json';
export { handler } from './model/handler-ref';
export type { HandlerFor, HandlerFunction, HandlerRef, MessageFor } from './model/handler-ref';
export type { EventBindingOptions } from './model/event-binding';
export {
  DEFAULT_EVENT_THROTTLE_MS,
  EVENT_NAME_PATTERN,
  EVENT_PROPERTIES,
  MAX_EVENT_NAME_LENGTH,
  MAX_EVENT_THROTTLE_MS,
  THROTTLED_EVENTS,
} from './event-wire';
export type { EventProperties, EventProperty, EventPropertyValues } from './event-wire';
export { MAX_PATH_DEPTH, PropPathError } from './prop-path';
export { MAX_TIMER_MS, MIN_TIMER_MS, Timer } from './model/timer';
export { Chart } from './model/chart';
export type {
  ChartAxis,
  ChartComponentOptions,
  ChartDatum,
  ChartOptions,
  ChartPoint,
  ChartSeries,
} from './model/chart';
export type { TimerOptions } from './model/timer';
export { DEFAULT_UPLOAD_MAX_BYTES, Upload } from './model/upload';
export type { UploadedFile, UploadOptions } from './model/upload';
export { MAX_UPLOAD_FILES } from './upload-rules';
export { PUSHPAGE_UPLOAD_STORAGE, UPLOAD_KEY_PATTERN } from './uploads/upload-storage';
export type { StoredUpload, UploadMeta, UploadStorage } from './uploads/upload-storage';
export { DEFAULT_MEMORY_UPLOAD_BYTES, MemoryUploadStorage } from './uploads/memory-upload-storage';
export { DiskUploadStorage } from './uploads/disk-upload-storage';
export type { PropPath } from './prop-path';
export { registerComponentType, type ComponentClass } from './model/registry';
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
export { setClass, setClasses, removeClass } from './model/classes';
export { EventMessage } from './engine/event-message';
export {
  ClientCallError,
  ClientTab,
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_DIALOG_TIMEOUT_MS,
  PageTabs,
  TabActions,
} from './engine/client-actions';
export type {
  ClientCallFailure,
  ClientFunctionArgs,
  ClientFunctionName,
  ClientFunctionResult,
  ClientFunctions,
} from './engine/client-actions';
export type { HandlerStorage, StorageArea, TabStorage, UserStorage } from './engine/storage';
export { STORAGE_LIMITS } from './store/store';
export { ClientActionError, MAX_DOWNLOAD_BYTES } from './engine/client-action-checks';
export type { DownloadSource, NotifyOptions } from './engine/client-action-checks';
export type { HeadTag, NotifyPosition, NotifyType } from './protocol';
export { PageRoute } from './edges/http/page-route.decorator';
export type { PageRenderer, PageRouteOptions } from './edges/http/page-route.decorator';
export { PageRequest } from './edges/http/page-request';
export type { RouteParams, RouteParamNames } from './edges/http/route-pattern';
export { MAX_ROUTE_PARAM_LENGTH } from './edges/http/route-pattern';
export { pushpageOpenApi, setupPushpageOpenApi } from './edges/http/openapi';
export type { PushpageOpenApiOptions } from './edges/http/openapi';
export { defineShared } from './engine/shared';
export type { SharedDefinition } from './engine/shared';
export type { PageSnapshot, ScopePatch, WireOp } from './engine/patch';
export { OnStartup } from './tasks/on-startup.decorator';
export type { OnStartupOptions } from './tasks/on-startup.decorator';
export { TaskContext } from './tasks/task-context';
export { PushpageTasks } from './tasks/pushpage-tasks';
export type { TaskFunction } from './tasks/tasks.service';
export { Transaction } from './engine/transaction';
export { PushpageModule } from './pushpage.module';
export { isPlaceholderSecret } from './sessions/session';
export { PushpageDocuments } from './collab/documents.service';
export { PushpageSessions } from './sessions/pushpage-sessions';
export { PushpageOperationsModule } from './ops/operations.module';
export { PushpageMetrics } from './ops/metrics.service';
export { PushpageReadiness } from './ops/readiness.service';
export type { ReadinessReport } from './ops/readiness.service';
export { PUSHPAGE_SPANS, PUSHPAGE_SPAN_ATTRIBUTES } from './ops/tracing';
export type { PushpageModuleOptions } from './options';
export { DEFAULT_CONTENT_SECURITY_POLICY } from './options';
export type {
  PushpageAsyncOptions,
  PushpageOptionsFactory,
  PushpageRootOptions,
} from './module-definition';
export type { PushpageRoutes } from './routing';
export { pushpageClusterOptions, pushpageRedisOptions } from './store/redis/redis-options';
export { pushpageAssetFolders } from './assets/asset-paths';
export { PushpageError } from './errors';
export type { PushpageErrorCode } from './errors';
