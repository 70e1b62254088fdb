import 'reflect-metadata';
import { createTestingApp } from 'pushpage/testing';
import { AppModule } from './app.module';

/**
 * The app's own test of its page, as a test runner would run it: boots the app in this
 * process, greets twice through the REST API and prints the greeting.
 */
async function main(): Promise<void> {
  const testing = await createTestingApp(AppModule, { apiPrefix: 'v1/pages' });
  try {
    const page = await testing.open('/greet');
    await page.click('greet');
    await page.click(page.byText('Greet'));
    console.log(page.text('output'));
  } finally {
    await testing.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
