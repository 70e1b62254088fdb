import { Injectable } from '@nestjs/common';

/** The app's own service, which the page's handler calls. */
@Injectable()
export class GreetingService {
  greet(count: number): string {
    return `Hello from an injected service, ${count} ${count === 1 ? 'time' : 'times'}`;
  }
}
