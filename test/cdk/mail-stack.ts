// A small CDK app, as a team would write its SES sending: one configuration set left with the
// construct defaults (reputation metrics off) whose destination publishes sends only, one set
// configured well, and a domain identity with no custom MAIL FROM. Synthesized offline by
// cdk.test.ts with the aws-cdk-lib of the test cache, never the root install.

/* eslint-disable @typescript-eslint/no-explicit-any */
export function synthesizeMailApp(cdk: any, ses: any, sns: any, outdir: string): void {
  const app = new cdk.App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
  const stack = new cdk.Stack(app, 'MailStack', { env: { account: '111122223333', region: 'us-east-1' } });
  const topic = new sns.Topic(stack, 'FeedbackTopic');

  const newsletter = new ses.ConfigurationSet(stack, 'NewsletterSet', { configurationSetName: 'harbor-newsletter' });
  newsletter.addEventDestination('Sends', { destination: ses.EventDestination.snsTopic(topic), events: [ses.EmailSendingEvent.SEND, ses.EmailSendingEvent.DELIVERY] });

  const receipts = new ses.ConfigurationSet(stack, 'ReceiptsSet', {
    configurationSetName: 'harbor-receipts',
    reputationMetrics: true,
    suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
  });
  receipts.addEventDestination('Feedback', { destination: ses.EventDestination.snsTopic(topic), events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT] });

  new ses.EmailIdentity(stack, 'Identity', { identity: ses.Identity.domain('harbor.example.com'), configurationSet: receipts });
  app.synth();
}
