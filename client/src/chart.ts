import { defineComponent, h, onBeforeUnmount, onMounted, PropType, ref, watch } from 'vue';
import type { ECharts } from 'echarts';
import { eventThrottle } from '../../libs/pushpage/src/event-wire';
import { pickEventProperties } from './event-properties';
import { EventSender } from './events';
import { LiveNode } from './tree';
import { JsonValue } from './types';

/** The fields of an ECharts event a handler may read (`args[0]`): never its DOM event. */
const EVENT_FIELDS = [
  'componentType',
  'seriesType',
  'seriesIndex',
  'seriesName',
  'dataIndex',
  'dataType',
  'name',
  'value',
  'selected',
  'type',
] as const;

/**
 * The chart's options as ECharts takes them: a copy (ECharts keeps what it is given), with
 * tooltips drawn on the canvas, never as HTML built from the data.
 */
export function chartOptionsOf(options: unknown): Record<string, unknown> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return {};
  const copy = JSON.parse(JSON.stringify(options)) as Record<string, unknown>;
  const tooltips = Array.isArray(copy.tooltip) ? copy.tooltip : [copy.tooltip];
  for (const tooltip of tooltips)
    if (typeof tooltip === 'object' && tooltip !== null)
      (tooltip as Record<string, unknown>).renderMode = 'richText';
  return copy;
}

/** What a chart event says, as JSON: the fields of {@link EVENT_FIELDS} it has. */
export function chartEventOf(params: unknown): Record<string, JsonValue> {
  const fields: Record<string, JsonValue> = {};
  if (typeof params !== 'object' || params === null) return fields;
  for (const name of EVENT_FIELDS) {
    const value = (params as Record<string, unknown>)[name];
    if (value !== undefined) fields[name] = JSON.parse(JSON.stringify(value)) as JsonValue;
  }
  return fields;
}

/**
 * A chart (`Chart` on the server): Apache ECharts, loaded with the first chart of the page,
 * drawing the node's options and redrawing what changes; its events go to the server.
 */
export const ChartView = defineComponent({
  name: 'PushpageChart',
  props: {
    node: { type: Object as PropType<LiveNode>, required: true },
    sender: { type: Object as PropType<EventSender>, required: true },
    attrs: { type: Object as PropType<Record<string, unknown>>, required: true },
  },
  setup(props) {
    const element = ref<HTMLElement | null>(null);
    let chart: ECharts | undefined;
    let resize: ResizeObserver | undefined;
    let gone = false;
    const bound = new Set<string>();

    const listen = () => {
      if (!chart) return;
      for (const type of props.node.e) {
        if (bound.has(type)) continue;
        bound.add(type);
        chart.on(type, (params: unknown) => {
          const node = props.node;
          if (!node.e.includes(type)) return;
          const asked = node.a[type];
          const event = asked ? pickEventProperties([chartEventOf(params)], asked) : undefined;
          props.sender.event(node, type, event ? { event } : {}, eventThrottle(type, node.r[type]));
        });
      }
    };
    const draw = () => {
      if (!chart) return;
      chart.setOption(chartOptionsOf(props.node.p.options), { lazyUpdate: true });
      listen();
    };

    onMounted(async () => {
      const echarts = await import('echarts');
      if (gone || !element.value) return;
      chart = echarts.init(element.value);
      element.value.dataset.chartReady = 'true';
      draw();
      resize = new ResizeObserver(() => chart?.resize());
      resize.observe(element.value);
    });
    watch(() => props.node.p.options, draw);
    watch(() => props.node.e.length, listen);
    onBeforeUnmount(() => {
      gone = true;
      resize?.disconnect();
      chart?.dispose();
    });
    return () => h('div', { ...props.attrs, ref: element });
  },
});
