// Where each control comes from: the seed policy, the heading the promise stands under, and the
// promise in the policy's own words (shortened). The controls report prints these next to each
// control, so an auditor can walk from a policy sentence to the resources that keep it.
// test/compliance/policy-sources.spec.ts checks every heading and quote against the seeds.

/** The seed policy files (CONTROLS.md: `000` = 000_15008d491233d939.md, ...). */
export const SEED_FILES: Readonly<Record<string, string>> = {
  '000': '000_15008d491233d939.md',
  '001': '001_e780f71d6b04320c.md',
  '002': '002_62ce08bad53f8dd2.md',
  '003': '003_b8281dc6c1684b16.md',
  '004': '004_55a4a15491507cf0.md',
};

/** One policy statement: [seed, heading, words from the policy]. */
export type PolicySource = readonly [seed: string, heading: string, quote: string];

export const POLICY_SOURCES: Readonly<Record<string, readonly PolicySource[]>> = {
  'ENC-01': [
    [
      '000',
      'Protecting Sensitive Data',
      'We encrypt this data when it is transmitted over our network and when it is stored on our servers.',
    ],
    ['001', 'Infrastructure Security', 'Encryption of data in transit (TLS/HTTPS) and at rest'],
    ['002', 'Data Security', 'All customer data will be encrypted both at rest and in transit'],
    ['003', 'Data Encryption', 'All data at rest is encrypted using AES-256 encryption'],
    ['004', 'Data Protection', 'Enable encryption at rest'],
  ],
  'ENC-02': [['003', 'Data Encryption', 'Regular key rotation policy (every 90 days)']],
  'ENC-03': [['003', 'Data Encryption', 'Secure key management using AWS KMS or equivalent']],
  'ENC-04': [['003', 'Data Encryption', 'Secure key management using AWS KMS or equivalent']],
  'ENC-05': [
    ['000', 'Protecting Sensitive Data', 'We encrypt this data when it is transmitted over our network'],
    ['001', 'Infrastructure Security', 'Encryption of data in transit (TLS/HTTPS) and at rest'],
    ['002', 'Data Security', 'All customer data will be encrypted both at rest and in transit'],
    ['003', 'Data Encryption', 'Data in transit is protected using TLS 1.3'],
    ['004', 'Network Security', 'Use TLS for all client connections'],
  ],
  'IAM-01': [
    [
      '001',
      'Access Control',
      'Complex password requirements (minimum length, uppercase/lowercase, numbers, special characters)',
    ],
    ['003', 'Authentication & Authorization', 'Password policy enforcement'],
  ],
  'IAM-02': [
    ['001', 'Access Control', 'Two-factor authentication'],
    [
      '002',
      'Authentication and Authorization',
      'We will implement strong authentication mechanisms such as two-factor authentication.',
    ],
    [
      '003',
      'Authentication & Authorization',
      'Multi-factor authentication (MFA) required for all administrative access',
    ],
  ],
  'IAM-03': [
    [
      '002',
      'Authentication and Authorization',
      'We will implement strict role-based access control mechanisms',
    ],
    ['003', 'Authentication & Authorization', 'Role-based access control (RBAC) implementation'],
    ['004', 'Authorization', 'Apply the principle of least privilege'],
  ],
  'IAM-04': [
    ['001', 'Access Control', 'Regular access reviews'],
    [
      '002',
      'Access Control',
      'Regular audits will be conducted to ensure unnecessary access rights are revoked.',
    ],
  ],
  'IAM-05': [
    ['003', 'Authentication & Authorization', 'Automatic session timeout after 30 minutes of inactivity'],
  ],
  'NET-01': [['003', 'Infrastructure Security', 'Network segmentation']],
  'NET-02': [
    ['003', 'Monitoring & Auditing', 'Comprehensive activity logging'],
    ['004', 'Monitoring', 'Monitor for unusual access patterns'],
  ],
  'NET-03': [['003', 'API Security', 'Rate limiting to prevent abuse']],
  'NET-04': [['003', 'Infrastructure Security', 'Firewall configuration and management']],
  'NET-05': [['003', 'Monitoring & Auditing', 'Comprehensive activity logging']],
  'NET-06': [['003', 'Infrastructure Security', 'DDoS protection']],
  'DATA-01': [
    [
      '000',
      'Protecting Sensitive Data',
      'We encrypt this data when it is transmitted over our network and when it is stored on our servers.',
    ],
    ['003', 'Data Protection', 'Data retention policies'],
  ],
  'DATA-02': [
    ['001', 'Access Control', 'Password hashing in databases'],
    ['003', 'Data Encryption', 'All data at rest is encrypted using AES-256 encryption'],
    ['004', 'Data Protection', 'Enable encryption at rest'],
  ],
  'DATA-03': [
    ['000', 'Maintaining System and Data Security', 'We also have backup procedures in place'],
    ['001', 'Infrastructure Security', 'Redundant systems and backups across multiple data centers'],
    ['003', 'Data Protection', 'Regular data backups (encrypted)'],
    ['004', 'Data Protection', 'Back up data regularly'],
  ],
  'DATA-04': [['004', 'Data Protection', 'Test restore procedures']],
  'DATA-05': [
    ['003', 'Data Protection', 'Data retention policies'],
    ['003', 'Data Protection', 'Secure data deletion procedures'],
  ],
  'DATA-06': [
    ['000', 'Protecting Sensitive Data', 'personal or financial information of our users'],
    ['003', 'Data Protection', 'PII (Personally Identifiable Information) handling protocols'],
  ],
  'DATA-07': [
    ['000', 'Protecting Sensitive Data', 'We do not publish sensitive data'],
    ['003', 'Data Encryption', 'All data at rest is encrypted using AES-256 encryption'],
  ],
  'LOG-01': [
    ['002', 'Data Security', 'all access will be logged and auditable'],
    ['003', 'Monitoring & Auditing', 'Audit trail maintenance'],
    ['004', 'Monitoring', 'Enable audit logging'],
  ],
  'LOG-02': [['003', 'Monitoring & Auditing', 'Audit trail maintenance']],
  'LOG-03': [['002', 'Data Security', 'all access will be logged and auditable']],
  'LOG-04': [
    ['003', 'Monitoring & Auditing', 'Comprehensive activity logging'],
    ['003', 'Data Protection', 'Data retention policies'],
  ],
  'DET-01': [
    [
      '000',
      'Detecting and Managing Data Breaches',
      'We use data breach detection tools to constantly monitor our systems',
    ],
    [
      '001',
      'Infrastructure Security',
      'Enterprise-grade firewalls and intrusion detection/prevention systems',
    ],
    ['003', 'Monitoring & Auditing', 'Automated threat detection'],
  ],
  'DET-02': [
    [
      '002',
      'Compliance Measurement',
      'We will conduct regular audits to ensure compliance with this policy.',
    ],
    ['003', 'Regular Assessments', 'Quarterly internal security audits'],
  ],
  'DET-03': [
    [
      '002',
      'Compliance Measurement',
      'We will conduct regular audits to ensure compliance with this policy.',
    ],
    ['003', 'Monitoring & Auditing', 'Regular security audits (quarterly)'],
  ],
  'DET-04': [
    ['001', 'Infrastructure Security', 'Regular vulnerability scans and patching'],
    ['002', 'Software Development Security', 'regularly checked for known security vulnerabilities'],
    ['003', 'Infrastructure Security', 'Regular vulnerability scanning'],
  ],
  'DET-05': [
    ['003', 'Monitoring & Auditing', 'Real-time alerting system'],
    ['004', 'Monitoring', 'Set up alerts for security events'],
  ],
  'ALR-01': [['003', 'Incident Classification', 'Critical: System breach, data theft']],
  'ALR-02': [
    ['003', 'Monitoring & Auditing', 'Real-time alerting system'],
    ['004', 'Monitoring', 'Set up alerts for security events'],
  ],
  'ALR-03': [['003', 'Incident Response Procedure', 'Block suspicious IP addresses']],
  'OPS-01': [
    ['000', 'Maintaining System and Data Security', 'We regularly update our software and operating systems'],
    ['003', 'Update Schedule', 'Security patches: Within 24 hours of release'],
  ],
  'OPS-02': [
    ['001', 'Access Control', 'Separation of development, testing and production environments'],
    ['003', 'Testing Procedure', 'Staging environment validation'],
  ],
  'OPS-03': [
    ['001', 'Infrastructure Security', 'Redundant systems and backups across multiple data centers'],
  ],
  'CMP-01': [
    [
      '002',
      'Compliance Measurement',
      'We will conduct regular audits to ensure compliance with this policy.',
    ],
    ['003', 'Standards Compliance', 'SOC 2 Type II'],
  ],
  'CMP-02': [['003', 'Code Security', 'Automated security scanning']],
  'CMP-03': [
    ['002', 'Software Development Security', 'Tools and techniques such as static code analysis'],
    ['003', 'Code Security', 'Automated security scanning'],
  ],
  'CMP-04': [
    [
      '001',
      'Security Policies and Compliance',
      'Our goal is to achieve ISO 27001 certification in the future',
    ],
    [
      '002',
      'Compliance Measurement',
      'We will conduct regular audits to ensure compliance with this policy.',
    ],
    ['003', 'Regular Assessments', 'Bi-annual compliance reviews'],
  ],
  'CMP-05': [
    [
      '002',
      'Compliance Measurement',
      'We will conduct regular audits to ensure compliance with this policy.',
    ],
    ['003', 'Monitoring & Auditing', 'Regular security audits (quarterly)'],
  ],
  'SUP-01': [
    ['000', 'Reporting a Vulnerability', 'Use this section to tell people how to report a vulnerability.'],
    ['002', 'Software Development Security', 'We will ensure that all code and dependencies are up-to-date'],
    ['003', 'Version Control', 'Regular dependency audits'],
    ['004', 'Reporting a Vulnerability', 'please report it to us as described below'],
  ],
};
