// placeholder: replaced by the host runner work
export async function run(): Promise<void> {}
