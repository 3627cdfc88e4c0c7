/** config.yaml with four routes over the three policies of the fake's `threePolicyScenario()`. */
export const FOUR_ROUTES_YAML = `# four routes, three policies
routes:
  - name: support
    escalation_policy_id: PSUPPORT
    dids: ["+31208888888"]
  - name: billing
    escalation_policy_id: PBILLING
    strategy: round-robin
    dids: ["+31209999999"]
  - name: backup
    escalation_policy_id: PSUPPORT
    escalation_level: 2
  - name: emergency
    escalation_policy_id: PEMERGENCY
    fallback_number: "+31201234567"
`;
