// How a frontend reads the API through the generated types (type-checked by `clients/check`).
// Nothing here casts API data: every field is read through the types openapi-typescript made.
import createClient from "openapi-fetch";
import type { components, paths } from "./build/ts/schema";

type ErrorDetail = components["schemas"]["ErrorDetail"];
type ValidationError = components["schemas"]["ValidationError"];
type FieldErrors = components["schemas"]["FieldErrors"];
type AppointmentStatus = components["schemas"]["AppointmentStatusEnum"];

export const api = createClient<paths>({ baseUrl: "http://127.0.0.1:8000" });

/** A refusal carries `detail` (and `code` for domain errors); field errors never do. */
export function isErrorDetail(body: ErrorDetail | ValidationError): body is ErrorDetail {
  return typeof body.detail === "string";
}

/** The first message under a field, however deep the serializer nests it. */
export function firstMessage(errors: FieldErrors | undefined): string | undefined {
  if (errors === undefined) {
    return undefined;
  }
  if (Array.isArray(errors)) {
    const first = errors[0];
    return typeof first === "string" ? first : undefined;
  }
  return firstMessage(Object.values(errors)[0]);
}

/** Sign in; an account still awaiting approval is told so by its stable code. */
export async function signIn(username: string, password: string): Promise<string> {
  const { data, error } = await api.POST("/api/token/", { body: { username, password } });
  if (error) {
    if (isErrorDetail(error)) {
      const code: string | undefined = error.code;
      const detail: string = error.detail;
      throw new Error(code === "account_pending" ? "Your account awaits approval." : detail);
    }
    throw new Error(firstMessage(error.username) ?? "Check the form.");
  }
  return data.access;
}

/** Register a patient; a bad date of birth comes back nested under `profile`. */
export async function registerPatient(username: string, dateOfBirth: string): Promise<string> {
  const { data, error } = await api.POST("/api/register/", {
    body: {
      username,
      email: `${username}@example.org`,
      password: "a-long-passphrase",
      password2: "a-long-passphrase",
      first_name: "Ada",
      last_name: "Lovelace",
      role: "patient",
      profile: { date_of_birth: dateOfBirth, sex: "female" },
    },
  });
  if (error) {
    if (isErrorDetail(error)) {
      return error.detail;
    }
    const profile = error.profile;
    if (profile !== undefined && !Array.isArray(profile)) {
      const nested: string | undefined = firstMessage(profile.date_of_birth);
      return nested ?? "Check the profile.";
    }
    return firstMessage(error.username) ?? firstMessage(error.non_field_errors) ?? "Check the form.";
  }
  return data.approval_status;
}

/** Confirm an appointment; a 409 names why with `code`, a 404 means out of reach. */
export async function confirm(token: string, id: string): Promise<AppointmentStatus> {
  const { data, error, response } = await api.POST("/api/appointments/{id}/confirm/", {
    params: { path: { id } },
    body: {},
    headers: { Authorization: `Bearer ${token}` },
  });
  if (error) {
    const requestId = response.headers.get("X-Request-ID");
    if (isErrorDetail(error)) {
      throw new Error(`${error.code ?? response.status}: ${error.detail} (request ${requestId})`);
    }
    throw new Error(firstMessage(error.start) ?? "Invalid start.");
  }
  return data.status;
}

/** The filter takes the same enum the field has. */
export async function confirmedIds(token: string): Promise<string[]> {
  const status: AppointmentStatus = "confirmed";
  const { data, error } = await api.GET("/api/appointments/", {
    params: { query: { status, page_size: 100 } },
    headers: { Authorization: `Bearer ${token}` },
  });
  if (error) {
    return [];
  }
  return data.results.map((appointment) => appointment.id);
}
