import { Injectable } from '@nestjs/common';
import {
  Button,
  Checkbox,
  Div,
  EventMessage,
  Fieldset,
  Form,
  FormValue,
  H1,
  handler,
  Input,
  Label,
  Legend,
  Li,
  P,
  PageRenderer,
  PageRoute,
  Radio,
  Span,
  Strong,
  Ul,
  WebPage,
} from 'pushpage';

type SignUp = Form<{ errors: Ul; result: P }>;

const FIELD = 'block w-full border rounded p-2 mb-3';

/** What is wrong with a sign-up, one message per problem; none when it may go through. */
export function signUpProblems(form: Readonly<Record<string, FormValue>>): string[] {
  const problems: string[] = [];
  const name = typeof form.name === 'string' ? form.name.trim() : '';
  const email = typeof form.email === 'string' ? form.email.trim() : '';
  if (!name) problems.push('Please give your name.');
  else if (name.length > 40) problems.push('Your name may have at most 40 characters.');
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) problems.push('Please give an e-mail address.');
  if (form.plan === null) problems.push('Please choose a plan.');
  if (form.terms !== true) problems.push('Please accept the terms.');
  return problems;
}

/**
 * `/form`: a form whose name field is bound to a live preview (no handler: the server sets
 * the preview as you type, in every tab), and messages from the server's checks on submit.
 */
@Injectable()
@PageRoute('/form', { title: 'Sign-up form' })
export class FormPage implements PageRenderer {
  render(): WebPage {
    const wp = new WebPage({ title: 'Sign-up form', classes: 'min-h-screen bg-gray-50' });
    const main = new Div({ classes: 'max-w-xl mx-auto p-8', parent: wp });
    new H1({ text: 'Sign up', classes: 'text-3xl font-bold mb-4', parent: main });

    const preview = new P({ classes: 'mb-4 text-lg', attrs: { id: 'preview' }, parent: main });
    new Span({ text: 'Hello, ', parent: preview });
    const echo = new Strong({ text: '', attrs: { id: 'echo' }, parent: preview });
    new Span({ text: '!', parent: preview });

    const form: SignUp = new Form({
      submit: this.signUp,
      classes: 'bg-white p-6 rounded shadow',
      attrs: { id: 'signup' },
      parent: main,
    });
    const name = new Input({ name: 'name', attrs: { id: 'name' }, maxLength: 100, debounce: 100 });
    name.bindValue(echo, 'text');
    form.add(new Label({ text: 'Name', for: name, classes: 'block font-semibold' }), name);
    name.classes = FIELD;
    const email = new Input({ name: 'email', type: 'email', attrs: { id: 'email' } });
    email.classes = FIELD;
    form.add(new Label({ text: 'E-mail', for: email, classes: 'block font-semibold' }), email);

    const plans = new Fieldset({ classes: 'mb-3', parent: form });
    new Legend({ text: 'Plan', classes: 'font-semibold', parent: plans });
    for (const plan of ['free', 'team']) {
      const radio = new Radio({ name: 'plan', choice: plan, attrs: { id: `plan-${plan}` } });
      plans.add(radio, new Label({ text: ` ${plan} `, for: radio, classes: 'mr-4' }));
    }

    const terms = new Checkbox({ name: 'terms', attrs: { id: 'terms' }, parent: form });
    form.add(new Label({ text: ' I accept the terms', for: terms }));
    new Button({
      text: 'Sign up',
      attrs: { id: 'submit' },
      classes: 'block mt-4 bg-blue-600 text-white rounded px-4 py-2',
      parent: form,
    });

    form.data.errors = new Ul({
      classes: 'text-red-700 mt-4',
      attrs: { id: 'errors' },
      parent: main,
    });
    form.data.result = new P({
      classes: 'text-green-700 mt-4',
      attrs: { id: 'result' },
      parent: main,
    });
    return wp;
  }

  readonly signUp = handler((self: SignUp, msg: EventMessage) => {
    const { errors, result } = self.data;
    const problems = signUpProblems(msg.form);
    errors.removeAll();
    for (const problem of problems) errors.add(new Li({ text: problem }));
    result.text = problems.length ? '' : `Thanks, ${String(msg.form.name)}: you are signed up.`;
  });
}
