/** Every spelling of the cloud metadata endpoint the issue lists, and a few more. */
export const METADATA_SPELLINGS = [
  '169.254.169.254',
  '2852039166', // decimal integer
  '0xa9fea9fe', // hex integer
  '0xA9.0xFE.0xA9.0xFE', // hex parts
  '0251.0376.0251.0376', // octal parts
  '169.254.43518', // short form
  '169.254.169.254.', // trailing dot
  '[::ffff:169.254.169.254]', // IPv4-mapped IPv6
  '[::ffff:a9fe:a9fe]',
  '[0:0:0:0:0:ffff:a9fe:a9fe]',
  '[::a9fe:a9fe]', // IPv4-compatible
  '[64:ff9b::a9fe:a9fe]', // NAT64
  '[fd00:ec2::254]', // AWS over IPv6
  '100.100.100.200', // Alibaba Cloud
  'metadata.google.internal',
  'METADATA.google.internal.',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
];
