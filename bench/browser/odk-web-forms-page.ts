// The page of figure 10's ODK side: ODK Web Forms' own interface (@getodk/web-forms, its prebuilt
// Vue component, no .vue file compiled here) showing the figure's generated XForm, as a host app
// embeds it. The XForm is fetched from ./synthetic.xml, beside the page.
import { OdkWebForm, webFormsPlugin } from '@getodk/web-forms';
import { createApp, h } from 'vue';

const formXml = await (await fetch('./synthetic.xml')).text();
createApp({
  render: () =>
    h(OdkWebForm, {
      formXml,
      // The form has no attachments.
      fetchFormAttachment: () => Promise.resolve(new Response('', { status: 404 })),
    }),
})
  .use(webFormsPlugin)
  .mount('#app');
