namespace ViralForge.Functions.Api;

/// <summary>
/// The Jobs API's OpenAPI 3.1 description, served at /v1/openapi.json. Written by hand next to the endpoints: a test
/// checks that every mapped /v1 route and method is in it and that every reference resolves, so an endpoint added to the
/// /v1 group (webhooks) must be added here too.
/// </summary>
public static class ApiOpenApi
{
    public const string Json = """
        {
          "openapi": "3.1.0",
          "info": {
            "title": "ViralForge Jobs API",
            "version": "1.0.0",
            "description": "Make short videos from JSON rows and follow them through the pipeline. See docs/API.md. x-scope names the API key scope an operation needs."
          },
          "servers": [
            {
              "url": "/"
            }
          ],
          "security": [
            {
              "apiKey": []
            },
            {
              "googleIdToken": []
            }
          ],
          "paths": {
            "/v1/openapi.json": {
              "get": {
                "operationId": "openapi",
                "summary": "This document.",
                "security": [],
                "responses": {
                  "200": {
                    "description": "The OpenAPI 3.1 document.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/v1/jobs": {
              "post": {
                "operationId": "createJobs",
                "summary": "Make a job for each row (validated as sheet rows are).",
                "x-scope": "write",
                "description": "Nothing is made unless every row is valid.",
                "parameters": [
                  {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": false,
                    "description": "Same key and body: the first answer again (header Idempotent-Replayed: true). Same key, other body: 422. Kept Api:IdempotencyWindow (a day).",
                    "schema": {
                      "type": "string",
                      "maxLength": 255
                    }
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/CreateJobsRequest"
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "At least one row made a new job.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/JobsCreated"
                        }
                      }
                    }
                  },
                  "200": {
                    "description": "Every row had made its job before (unchanged rows are not made twice).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/JobsCreated"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "409": {
                    "description": "A request with this Idempotency-Key is still being answered; retry.",
                    "content": {
                      "application/problem+json": {
                        "schema": {
                          "$ref": "#/components/schemas/Problem"
                        }
                      }
                    }
                  },
                  "422": {
                    "description": "This Idempotency-Key was used with a different body.",
                    "content": {
                      "application/problem+json": {
                        "schema": {
                          "$ref": "#/components/schemas/ValidationProblem"
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Forbidden"
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  },
                  "503": {
                    "$ref": "#/components/responses/Unavailable"
                  }
                }
              },
              "get": {
                "operationId": "listJobs",
                "summary": "Jobs, newest first, a page at a time.",
                "x-scope": "read",
                "parameters": [
                  {
                    "name": "status",
                    "in": "query",
                    "description": "One or more status words, comma-separated or repeated.",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "sheet",
                    "in": "query",
                    "description": "A sheetId: api:<sheet> or gsheet:<spreadsheet>/<tab>.",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "limit",
                    "in": "query",
                    "description": "1 to Api:MaxPageSize (100); default Api:DefaultPageSize (25).",
                    "schema": {
                      "type": "integer",
                      "minimum": 1
                    }
                  },
                  {
                    "name": "cursor",
                    "in": "query",
                    "description": "A page's nextCursor.",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "A page.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/JobPage"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Forbidden"
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  },
                  "503": {
                    "$ref": "#/components/responses/Unavailable"
                  }
                }
              }
            },
            "/v1/jobs/{id}": {
              "get": {
                "operationId": "getJob",
                "summary": "A job with its progress, links, cost and history.",
                "x-scope": "read",
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "description": "The job's id (a UUID).",
                    "schema": {
                      "type": "string",
                      "format": "uuid"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The job.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/JobDetail"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Forbidden"
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  },
                  "503": {
                    "$ref": "#/components/responses/Unavailable"
                  }
                }
              }
            },
            "/v1/jobs/{id}/cancel": {
              "post": {
                "operationId": "cancelJob",
                "summary": "Stop a job that has not ended and undo its finished stages.",
                "x-scope": "write",
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "description": "The job's id (a UUID).",
                    "schema": {
                      "type": "string",
                      "format": "uuid"
                    }
                  }
                ],
                "requestBody": {
                  "required": false,
                  "description": "May be empty.",
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/CancelRequest"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "Cancelled.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Job"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "409": {
                    "description": "The job has ended already.",
                    "content": {
                      "application/problem+json": {
                        "schema": {
                          "$ref": "#/components/schemas/Problem"
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Forbidden"
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  },
                  "503": {
                    "$ref": "#/components/responses/Unavailable"
                  }
                }
              }
            },
            "/v1/jobs/{id}/approve": {
              "post": {
                "operationId": "approveJob",
                "summary": "Approve a video waiting for review: it is published.",
                "x-scope": "write",
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "description": "The job's id (a UUID).",
                    "schema": {
                      "type": "string",
                      "format": "uuid"
                    }
                  }
                ],
                "requestBody": {
                  "required": false,
                  "description": "May be empty.",
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/ApproveRequest"
                      }
                    }
                  }
                },
                "responses": {
                  "202": {
                    "description": "Decided; applying it is queued (publish, compensation, or the rerun).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Decision"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "409": {
                    "description": "Someone decided first (the detail says who), or the job is not waiting for review.",
                    "content": {
                      "application/problem+json": {
                        "schema": {
                          "$ref": "#/components/schemas/Problem"
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Forbidden"
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  },
                  "503": {
                    "$ref": "#/components/responses/Unavailable"
                  }
                }
              }
            },
            "/v1/jobs/{id}/reject": {
              "post": {
                "operationId": "rejectJob",
                "summary": "Reject a video waiting for review: the job ends and its work is undone.",
                "x-scope": "write",
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "description": "The job's id (a UUID).",
                    "schema": {
                      "type": "string",
                      "format": "uuid"
                    }
                  }
                ],
                "requestBody": {
                  "required": false,
                  "description": "May be empty.",
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/RejectRequest"
                      }
                    }
                  }
                },
                "responses": {
                  "202": {
                    "description": "Decided; applying it is queued (publish, compensation, or the rerun).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Decision"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "409": {
                    "description": "Someone decided first (the detail says who), or the job is not waiting for review.",
                    "content": {
                      "application/problem+json": {
                        "schema": {
                          "$ref": "#/components/schemas/Problem"
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Forbidden"
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  },
                  "503": {
                    "$ref": "#/components/responses/Unavailable"
                  }
                }
              }
            },
            "/v1/jobs/{id}/regenerate": {
              "post": {
                "operationId": "regenerateJob",
                "summary": "Run a stage before review again, with feedback, and every stage after it.",
                "x-scope": "write",
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "description": "The job's id (a UUID).",
                    "schema": {
                      "type": "string",
                      "format": "uuid"
                    }
                  }
                ],
                "requestBody": {
                  "required": false,
                  "description": "May be empty.",
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/RegenerateRequest"
                      }
                    }
                  }
                },
                "responses": {
                  "202": {
                    "description": "Decided; applying it is queued (publish, compensation, or the rerun).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Decision"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "409": {
                    "description": "Someone decided first (the detail says who), or the job is not waiting for review.",
                    "content": {
                      "application/problem+json": {
                        "schema": {
                          "$ref": "#/components/schemas/Problem"
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Forbidden"
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  },
                  "503": {
                    "$ref": "#/components/responses/Unavailable"
                  }
                }
              }
            },
            "/v1/keys": {
              "post": {
                "operationId": "createKey",
                "summary": "Make an API key.",
                "x-scope": "write",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/CreateKeyRequest"
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "The key, shown once.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/KeyCreated"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Forbidden"
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  },
                  "503": {
                    "$ref": "#/components/responses/Unavailable"
                  }
                }
              },
              "get": {
                "operationId": "listKeys",
                "summary": "Every key, live first (never the keys themselves).",
                "x-scope": "write",
                "responses": {
                  "200": {
                    "description": "The keys.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/KeyList"
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Forbidden"
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  },
                  "503": {
                    "$ref": "#/components/responses/Unavailable"
                  }
                }
              }
            },
            "/v1/keys/{id}": {
              "delete": {
                "operationId": "revokeKey",
                "summary": "Revoke a key: it is refused from now on.",
                "x-scope": "write",
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "description": "The key's id.",
                    "schema": {
                      "type": "integer"
                    }
                  }
                ],
                "responses": {
                  "204": {
                    "description": "Revoked."
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Forbidden"
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  },
                  "503": {
                    "$ref": "#/components/responses/Unavailable"
                  }
                }
              }
            },
            "/v1/webhooks": {
              "post": {
                "operationId": "createWebhook",
                "summary": "Subscribe a URL to job events; the answer shows the signing secret (whsec_...) once.",
                "x-scope": "write",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/WebhookCreate"
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "Subscribed; Location names it.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Webhook"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Forbidden"
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  },
                  "503": {
                    "$ref": "#/components/responses/Unavailable"
                  }
                }
              },
              "get": {
                "operationId": "listWebhooks",
                "summary": "Every subscription, without secrets.",
                "x-scope": "read",
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/WebhookList"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Forbidden"
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  },
                  "503": {
                    "$ref": "#/components/responses/Unavailable"
                  }
                }
              }
            },
            "/v1/webhooks/{id}": {
              "get": {
                "operationId": "getWebhook",
                "summary": "One subscription, without its secret.",
                "x-scope": "read",
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "description": "The subscription's id.",
                    "schema": {
                      "type": "string",
                      "format": "uuid"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Webhook"
                        }
                      }
                    }
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Forbidden"
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  },
                  "503": {
                    "$ref": "#/components/responses/Unavailable"
                  }
                }
              },
              "delete": {
                "operationId": "deleteWebhook",
                "summary": "Unsubscribe: nothing more is delivered to it.",
                "x-scope": "write",
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "description": "The subscription's id.",
                    "schema": {
                      "type": "string",
                      "format": "uuid"
                    }
                  }
                ],
                "responses": {
                  "204": {
                    "description": "Deleted."
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Forbidden"
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  },
                  "503": {
                    "$ref": "#/components/responses/Unavailable"
                  }
                }
              }
            },
            "/v1/webhooks/{id}/deliveries": {
              "get": {
                "operationId": "listWebhookDeliveries",
                "summary": "The subscription's delivery log, newest first.",
                "x-scope": "read",
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "description": "The subscription's id.",
                    "schema": {
                      "type": "string",
                      "format": "uuid"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/WebhookDeliveryList"
                        }
                      }
                    }
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Forbidden"
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  },
                  "503": {
                    "$ref": "#/components/responses/Unavailable"
                  }
                }
              }
            }
          },
          "components": {
            "securitySchemes": {
              "apiKey": {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "vfa_ API key",
                "description": "vf api-key create or POST /v1/keys; scoped read or write."
              },
              "googleIdToken": {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "JWT",
                "description": "A Google ID token (aud Api:GoogleAudience or Addon:OAuthClientId) of an allow-listed, verified email; may write."
              }
            },
            "responses": {
              "BadRequest": {
                "description": "The input is wrong; errors names each field.",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "$ref": "#/components/schemas/ValidationProblem"
                    }
                  }
                }
              },
              "Unauthorized": {
                "description": "No credentials, or a key or token that is malformed, unknown, revoked, expired or for another audience or issuer.",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "$ref": "#/components/schemas/Problem"
                    }
                  }
                }
              },
              "Forbidden": {
                "description": "A read key on a write endpoint, or a Google account not on the allow-list.",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "$ref": "#/components/schemas/Problem"
                    }
                  }
                }
              },
              "NotFound": {
                "description": "No such job or key.",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "$ref": "#/components/schemas/Problem"
                    }
                  }
                }
              },
              "TooManyRequests": {
                "description": "Over Api:RequestsPerMinute for this key or Google account.",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "$ref": "#/components/schemas/Problem"
                    }
                  }
                },
                "headers": {
                  "Retry-After": {
                    "description": "Seconds to wait.",
                    "schema": {
                      "type": "integer"
                    }
                  }
                }
              },
              "Unavailable": {
                "description": "Google's keys or the task queue are out of reach; retry.",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "$ref": "#/components/schemas/Problem"
                    }
                  }
                },
                "headers": {
                  "Retry-After": {
                    "description": "Seconds to wait.",
                    "schema": {
                      "type": "integer"
                    }
                  }
                }
              }
            },
            "schemas": {
              "WebhookCreate": {
                "type": "object",
                "required": [
                  "url"
                ],
                "properties": {
                  "url": {
                    "type": "string",
                    "format": "uri",
                    "description": "https in production; private, loopback and metadata addresses are refused."
                  },
                  "events": {
                    "type": "array",
                    "items": {
                      "type": "string",
                      "enum": [
                        "job.status_changed",
                        "job.review_requested",
                        "job.published",
                        "job.failed"
                      ]
                    },
                    "description": "Leave out for all four."
                  }
                }
              },
              "Webhook": {
                "type": "object",
                "properties": {
                  "id": {
                    "type": "string",
                    "format": "uuid"
                  },
                  "url": {
                    "type": "string"
                  },
                  "events": {
                    "type": "array",
                    "items": {
                      "type": "string",
                      "enum": [
                        "job.status_changed",
                        "job.review_requested",
                        "job.published",
                        "job.failed"
                      ]
                    }
                  },
                  "createdAt": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "active": {
                    "type": "boolean"
                  },
                  "disabledAt": {
                    "type": "string",
                    "format": "date-time",
                    "description": "Set when a day of failed deliveries disabled it."
                  },
                  "disabledReason": {
                    "type": "string"
                  },
                  "failingSince": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "secret": {
                    "type": "string",
                    "description": "Only in the answer to its creation."
                  }
                }
              },
              "WebhookList": {
                "type": "object",
                "properties": {
                  "webhooks": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/Webhook"
                    }
                  }
                }
              },
              "WebhookDelivery": {
                "type": "object",
                "properties": {
                  "eventId": {
                    "type": "string"
                  },
                  "eventType": {
                    "type": "string"
                  },
                  "attempt": {
                    "type": "integer"
                  },
                  "statusCode": {
                    "type": "integer"
                  },
                  "error": {
                    "type": "string"
                  },
                  "succeeded": {
                    "type": "boolean"
                  },
                  "at": {
                    "type": "string",
                    "format": "date-time"
                  }
                }
              },
              "WebhookDeliveryList": {
                "type": "object",
                "properties": {
                  "subscriptionId": {
                    "type": "string",
                    "format": "uuid"
                  },
                  "subscription": {
                    "$ref": "#/components/schemas/Webhook"
                  },
                  "deliveries": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/WebhookDelivery"
                    }
                  }
                }
              },
              "Problem": {
                "type": "object",
                "description": "RFC 9457 problem details.",
                "properties": {
                  "type": {
                    "type": "string"
                  },
                  "title": {
                    "type": "string"
                  },
                  "status": {
                    "type": "integer"
                  },
                  "detail": {
                    "type": "string"
                  },
                  "instance": {
                    "type": "string"
                  }
                }
              },
              "ValidationProblem": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Problem"
                  },
                  {
                    "type": "object",
                    "properties": {
                      "errors": {
                        "type": "object",
                        "description": "Messages by field: a JSON pointer into the body (/rows/0/duration), or a query parameter or header name.",
                        "additionalProperties": {
                          "type": "array",
                          "items": {
                            "type": "string"
                          }
                        }
                      }
                    },
                    "required": [
                      "errors"
                    ]
                  }
                ]
              },
              "Row": {
                "type": "object",
                "description": "One video request: a sheet row's input cells, in camelCase. Values are checked exactly as sheet cells are.",
                "properties": {
                  "topic": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "What the video is about (required, at most 300 characters)."
                  },
                  "platform": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "youtube, tiktok or both; empty for the deployment's default."
                  },
                  "duration": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "Seconds, 10 to 90: 45, \"45s\" or \"0:45\". Default 30."
                  },
                  "style": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "Free style word; default clean."
                  },
                  "voice": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "default, or provider:voice such as espeak:en+f3, openai:alloy, elevenlabs:Rachel."
                  },
                  "language": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "A language tag: en, en-US, pt-BR, ar. Default en."
                  },
                  "publishAt": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "When the video goes live: 2026-12-01 15:00 (UTC) or 2026-12-01T15:00:00+02:00."
                  },
                  "hashtags": {
                    "description": "Up to 30 tags: \"#bread #baking\" or [\"#bread\", \"#baking\"].",
                    "oneOf": [
                      {
                        "type": [
                          "string",
                          "null"
                        ]
                      },
                      {
                        "type": "array",
                        "items": {
                          "type": "string"
                        }
                      }
                    ]
                  },
                  "notes": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "Free text for the script writer."
                  },
                  "music": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "none, a mood, or an audio file in the blob store."
                  },
                  "captionStyle": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "One of the caption styles (docs/SHEET.md)."
                  },
                  "format": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "9:16, 1:1 or 16:9."
                  },
                  "watermark": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "on, off, or an image in the blob store."
                  },
                  "reviewScript": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "yes/no or true/false: stop after the script for a person to check it."
                  },
                  "visuals": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "Where the pictures come from (docs/SHEET.md)."
                  },
                  "channel": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "The connected account to post to, as vf connect --list shows it."
                  }
                },
                "required": [
                  "topic"
                ],
                "additionalProperties": false
              },
              "Defaults": {
                "type": "object",
                "description": "Values for the rows' empty fields.",
                "properties": {
                  "topic": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "What the video is about (required, at most 300 characters)."
                  },
                  "platform": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "youtube, tiktok or both; empty for the deployment's default."
                  },
                  "duration": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "Seconds, 10 to 90: 45, \"45s\" or \"0:45\". Default 30."
                  },
                  "style": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "Free style word; default clean."
                  },
                  "voice": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "default, or provider:voice such as espeak:en+f3, openai:alloy, elevenlabs:Rachel."
                  },
                  "language": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "A language tag: en, en-US, pt-BR, ar. Default en."
                  },
                  "publishAt": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "When the video goes live: 2026-12-01 15:00 (UTC) or 2026-12-01T15:00:00+02:00."
                  },
                  "hashtags": {
                    "description": "Up to 30 tags: \"#bread #baking\" or [\"#bread\", \"#baking\"].",
                    "oneOf": [
                      {
                        "type": [
                          "string",
                          "null"
                        ]
                      },
                      {
                        "type": "array",
                        "items": {
                          "type": "string"
                        }
                      }
                    ]
                  },
                  "notes": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "Free text for the script writer."
                  },
                  "music": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "none, a mood, or an audio file in the blob store."
                  },
                  "captionStyle": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "One of the caption styles (docs/SHEET.md)."
                  },
                  "format": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "9:16, 1:1 or 16:9."
                  },
                  "watermark": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "on, off, or an image in the blob store."
                  },
                  "reviewScript": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "yes/no or true/false: stop after the script for a person to check it."
                  },
                  "visuals": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "Where the pictures come from (docs/SHEET.md)."
                  },
                  "channel": {
                    "type": [
                      "string",
                      "number",
                      "boolean",
                      "null"
                    ],
                    "description": "The connected account to post to, as vf connect --list shows it."
                  }
                },
                "additionalProperties": false
              },
              "CreateJobsRequest": {
                "type": "object",
                "properties": {
                  "sheet": {
                    "type": "string",
                    "description": "Files the jobs under sheetId api:<sheet> (default \"default\"), for GET /v1/jobs?sheet=.",
                    "maxLength": 100
                  },
                  "rows": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/Row"
                    },
                    "minItems": 1,
                    "description": "At most Api:MaxRowsPerRequest (default 100)."
                  },
                  "defaults": {
                    "$ref": "#/components/schemas/Defaults"
                  }
                },
                "required": [
                  "rows"
                ],
                "additionalProperties": false
              },
              "VideoRequest": {
                "type": "object",
                "properties": {
                  "topic": {
                    "type": "string"
                  },
                  "platforms": {
                    "type": "array",
                    "items": {
                      "type": "string",
                      "enum": [
                        "youtube",
                        "tiktok"
                      ]
                    }
                  },
                  "durationSeconds": {
                    "type": "integer"
                  },
                  "style": {
                    "type": "string"
                  },
                  "voice": {
                    "type": "string"
                  },
                  "language": {
                    "type": "string"
                  },
                  "publishAt": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "format": "date-time"
                  },
                  "hashtags": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "notes": {
                    "type": "string"
                  },
                  "music": {
                    "type": "string"
                  },
                  "captionStyle": {
                    "type": "string"
                  },
                  "format": {
                    "type": "string"
                  },
                  "watermark": {
                    "type": "string"
                  },
                  "reviewScript": {
                    "type": "boolean"
                  },
                  "visuals": {
                    "type": "string"
                  },
                  "channel": {
                    "type": "string"
                  }
                }
              },
              "Job": {
                "type": "object",
                "properties": {
                  "id": {
                    "type": "string",
                    "format": "uuid"
                  },
                  "sheetId": {
                    "type": "string",
                    "description": "api:<sheet>, or gsheet:<spreadsheet>/<tab> for a Google Sheet's rows."
                  },
                  "status": {
                    "type": "string",
                    "description": "queued, a stage's word (trends ... render, review), script-review, approved, publishing, scheduled, published, rejected, failed or cancelled."
                  },
                  "stage": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "generation": {
                    "type": "integer",
                    "description": "Bumped by regenerate."
                  },
                  "error": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "createdAt": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "updatedAt": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "request": {
                    "$ref": "#/components/schemas/VideoRequest"
                  }
                }
              },
              "JobEvent": {
                "type": "object",
                "properties": {
                  "at": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "kind": {
                    "type": "string"
                  },
                  "stage": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "message": {
                    "type": "string"
                  }
                }
              },
              "JobDetail": {
                "type": "object",
                "properties": {
                  "job": {
                    "$ref": "#/components/schemas/Job"
                  },
                  "progress": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "description": "The sheet's Stage cell, e.g. \"render 45%\"."
                  },
                  "video": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "preview": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "publishedUrl": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "cost": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "events": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/JobEvent"
                    }
                  }
                }
              },
              "JobResult": {
                "type": "object",
                "properties": {
                  "index": {
                    "type": "integer",
                    "description": "The row's index in rows."
                  },
                  "created": {
                    "type": "boolean",
                    "description": "false when the same row had made this job before."
                  },
                  "job": {
                    "$ref": "#/components/schemas/Job"
                  }
                }
              },
              "JobsCreated": {
                "type": "object",
                "properties": {
                  "results": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/JobResult"
                    }
                  }
                }
              },
              "JobPage": {
                "type": "object",
                "properties": {
                  "jobs": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/Job"
                    }
                  },
                  "nextCursor": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "description": "Pass as cursor for the next page; null on the last page."
                  }
                }
              },
              "CancelRequest": {
                "type": "object",
                "properties": {
                  "reason": {
                    "type": "string",
                    "maxLength": 2000
                  }
                },
                "additionalProperties": false
              },
              "ApproveRequest": {
                "type": "object",
                "properties": {
                  "generation": {
                    "type": "integer",
                    "minimum": 1,
                    "description": "Default: the job's current generation."
                  },
                  "reason": {
                    "type": "string",
                    "maxLength": 2000
                  }
                },
                "additionalProperties": false
              },
              "RejectRequest": {
                "type": "object",
                "properties": {
                  "generation": {
                    "type": "integer",
                    "minimum": 1
                  },
                  "reason": {
                    "type": "string",
                    "maxLength": 2000
                  }
                },
                "additionalProperties": false
              },
              "RegenerateRequest": {
                "type": "object",
                "properties": {
                  "generation": {
                    "type": "integer",
                    "minimum": 1
                  },
                  "stage": {
                    "type": "string",
                    "enum": [
                      "trends",
                      "analysis",
                      "script",
                      "visuals",
                      "voice",
                      "render"
                    ],
                    "description": "Default script."
                  },
                  "feedback": {
                    "type": "string",
                    "maxLength": 2000,
                    "description": "What to change, given to the stage's next run."
                  }
                },
                "additionalProperties": false
              },
              "Decision": {
                "type": "object",
                "properties": {
                  "outcome": {
                    "type": "string",
                    "enum": [
                      "decided"
                    ]
                  },
                  "message": {
                    "type": "string"
                  },
                  "job": {
                    "$ref": "#/components/schemas/Job"
                  }
                }
              },
              "CreateKeyRequest": {
                "type": "object",
                "properties": {
                  "scope": {
                    "type": "string",
                    "enum": [
                      "read",
                      "write"
                    ]
                  },
                  "owner": {
                    "type": "string",
                    "maxLength": 200,
                    "description": "Default: the caller."
                  }
                },
                "required": [
                  "scope"
                ],
                "additionalProperties": false
              },
              "Key": {
                "type": "object",
                "properties": {
                  "id": {
                    "type": "integer"
                  },
                  "owner": {
                    "type": "string"
                  },
                  "scope": {
                    "type": "string",
                    "enum": [
                      "read",
                      "write"
                    ]
                  },
                  "createdBy": {
                    "type": "string"
                  },
                  "createdAt": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "lastUsedAt": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "format": "date-time"
                  },
                  "revokedAt": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "format": "date-time"
                  }
                }
              },
              "KeyCreated": {
                "type": "object",
                "properties": {
                  "key": {
                    "type": "string",
                    "description": "vfa_ and 43 characters; shown this once."
                  },
                  "info": {
                    "$ref": "#/components/schemas/Key"
                  }
                }
              },
              "KeyList": {
                "type": "object",
                "properties": {
                  "keys": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/Key"
                    }
                  }
                }
              }
            }
          }
        }
        """;
}
