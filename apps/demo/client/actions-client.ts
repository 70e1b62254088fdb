import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** The functions the demo's browser script registers, for `msg.client.call` to type-check. */
declare module 'pushpage' {
  interface ClientFunctions {
    /** The tab's viewport, `1280×720`: something only the browser knows. */
    viewportSize(): string;
    /** A greeting the browser makes, with its language. */
    greet(name: string): string;
  }
}

/** What the runtime offers the app's scripts as `window.pushpage`. */
interface PushpageInBrowser {
  register(name: string, fn: (...args: never[]) => unknown): void;
}

/**
 * The demo's browser script. It runs in the browser, not here: the script served below is
 * this function's source, so it must use nothing from this module.
 */
function registerClientFunctions(pushpage: PushpageInBrowser): void {
  pushpage.register('viewportSize', () => `${window.innerWidth}×${window.innerHeight}`);
  pushpage.register(
    'greet',
    (name: string) => `Hello ${name}, from a browser set to ${navigator.language}`,
  );
}

/** The path the demo serves its browser script at (the `clientScripts` option names it). */
export const DEMO_CLIENT_SCRIPT = '/demo/client.js';

const SCRIPT = `(${registerClientFunctions.toString()})(window.pushpage);\n`;

/**
 * Serves the demo's browser script from the app's own origin, which the Content-Security-Policy
 * allows (an inline script it would not). A page's asset, not part of the REST API.
 */
@ApiExcludeController()
@Controller()
export class DemoClientScriptController {
  @Get(DEMO_CLIENT_SCRIPT)
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  script(): string {
    return SCRIPT;
  }
}
